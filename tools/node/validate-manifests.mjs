// Validates Kubernetes manifests (multi-document YAML, e.g. `helm template` output) against the
// Kubernetes OpenAPI schemas shipped in the npm packages kubernetes-models and
// @kubernetes-models/prometheus-operator. A kind without a schema here is an error, never a skip.
// Usage: node validate-manifests.mjs FILE...   One line per document; exits 1 if any is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const MAX_DOCUMENTS = 500;

function modulePath(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z]+$/.test(kind)) {
    return null;
  }
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^[a-z0-9]+$/.test(version) || !/^[a-z0-9.-]*$/.test(group)) return null;
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

async function validateDocument(doc) {
  const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const path = modulePath(doc?.apiVersion, doc?.kind);
  if (path === null) return `${name}: no usable apiVersion/kind`;
  let Model;
  try {
    Model = (await import(path))[doc.kind];
  } catch {
    return `${name}: no schema for ${doc.apiVersion} ${doc.kind}`;
  }
  if (typeof Model !== "function") return `${name}: no schema for ${doc.apiVersion} ${doc.kind}`;
  try {
    new Model(doc).validate();
  } catch (e) {
    return `${name}: ${e.message}`;
  }
  return null;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-manifests.mjs FILE...");
  process.exit(2);
}
let failed = false;
let count = 0;
for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const d of docs) {
    if (d.errors.length > 0) {
      console.log(`${file}: invalid YAML: ${d.errors[0].message}`);
      failed = true;
      continue;
    }
    const doc = d.toJS();
    if (doc === null || doc === undefined) continue; // an empty document between two "---"
    if (++count > MAX_DOCUMENTS) {
      console.log(`${file}: more than ${MAX_DOCUMENTS} documents`);
      process.exit(1);
    }
    const error = await validateDocument(doc);
    console.log(error === null ? `ok ${doc.kind}/${doc.metadata?.name}` : `invalid ${error}`);
    failed ||= error !== null;
  }
}
if (count === 0) {
  console.log("no documents");
  failed = true;
}
process.exit(failed ? 1 : 0);
