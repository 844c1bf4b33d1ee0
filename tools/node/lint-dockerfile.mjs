// Lints Dockerfiles with two npm linters: dockerfile-utils (syntax and instruction arguments, the
// engine VS Code uses) and dockerfilelint (practice: pinned tags, apt hygiene, sudo, ...).
// Usage: node lint-dockerfile.mjs FILE...   Prints one line per problem; exits 1 if there is any.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const dockerfileUtils = require("dockerfile-utils");
const dockerfilelint = require("dockerfilelint");

// dockerfilelint 1.8.0 matches HEALTHCHECK options with /--\w+/, so it reads "--start-period" as the
// unknown option "--start" and reports invalid_format. Forgive exactly that, and only when every
// option is one Docker documents and carries a value.
const HEALTHCHECK_OPTIONS = new Set(["--interval", "--timeout", "--start-period", "--start-interval", "--retries"]);

function instructionAt(lines, lineNumber) {
  let text = "";
  for (let i = lineNumber - 1; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    text += line.endsWith("\\") ? line.slice(0, -1) + " " : line;
    if (!line.endsWith("\\")) break;
  }
  return text.trim();
}

function isStartPeriodFalsePositive(problem, lines) {
  if (problem.rule !== "invalid_format") return false;
  const text = instructionAt(lines, problem.line);
  const m = /^HEALTHCHECK\s+((?:--[\w-]+=\S+\s+)*)CMD\s+\S/i.exec(text);
  if (!m || !text.includes("--start-period")) return false;
  const options = m[1].trim().split(/\s+/).filter(Boolean);
  return options.every((o) => HEALTHCHECK_OPTIONS.has(o.split("=")[0]) && /=\d+[a-z]*$/.test(o));
}

export function lint(content) {
  const lines = content.split(/\r?\n/);
  const problems = [];
  for (const d of dockerfileUtils.validate(content)) {
    problems.push(`dockerfile-utils:${d.range.start.line + 1}: ${d.message}`);
  }
  for (const p of dockerfilelint.run("/nonexistent-dockerfilelintrc", content)) {
    if (!isStartPeriodFalsePositive(p, lines)) {
      problems.push(`dockerfilelint:${p.line}: ${p.rule}: ${p.title}`);
    }
  }
  return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint-dockerfile.mjs FILE...");
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const problems = lint(readFileSync(file, "utf8"));
  for (const p of problems) console.log(`${file}: ${p}`);
  if (problems.length === 0) console.log(`${file}: ok`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
