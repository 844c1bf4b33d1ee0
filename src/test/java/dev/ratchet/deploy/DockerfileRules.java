package dev.ratchet.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules Ratchet's image must follow, checked on a Dockerfile's text: base images pinned to a
 * version, a JRE for the final stage, a non-root USER, no secret in ENV/ARG or among copied files, a
 * HEALTHCHECK whose script asks the readiness group, an exec-form ENTRYPOINT whose script execs java
 * (so SIGTERM reaches the JVM), the Spring Boot layers copied least-changing first, a /data volume.
 * Stateless; {@code scripts} resolves a build-context path (e.g. {@code docker/healthcheck.sh}) to its
 * text, or null when there is no such file.
 */
final class DockerfileRules {

    /** One parsed instruction: keyword upper-cased, arguments with line continuations joined. */
    record Instruction(int line, String keyword, String args) {
    }

    static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
            "application");
    private static final Pattern PINNED = Pattern.compile("^[a-z0-9./_-]+(:[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*)?(@sha256:[0-9a-f]{64})?$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(token|secret|passw(or)?d|credential|private_?key|api_?key).*");
    private static final Pattern SECRET_FILE = Pattern.compile("(?i).*(\\.pem|\\.key|\\.p12|\\.jks|\\.env|token|secret|id_rsa).*");
    private static final int MAX_LINES = 2_000;

    private DockerfileRules() {
    }

    static List<Instruction> parse(String text) {
        String[] lines = text.split("\\R", -1);
        if (lines.length > MAX_LINES) {
            throw new IllegalArgumentException("a Dockerfile of " + lines.length + " lines; at most " + MAX_LINES);
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (pending == null && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (pending != null && line.startsWith("#")) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String full = pending.toString().strip();
                int space = full.indexOf(' ');
                out.add(new Instruction(start, (space < 0 ? full : full.substring(0, space)).toUpperCase(Locale.ROOT),
                        space < 0 ? "" : full.substring(space + 1).strip()));
                pending = null;
            }
        }
        return out;
    }

    /** Every broken rule, one message each naming the line; empty when the Dockerfile is fine. */
    static List<String> violations(String dockerfile, Function<String, String> scripts) {
        List<Instruction> all = parse(dockerfile);
        List<String> v = new ArrayList<>();
        Set<String> stages = new HashSet<>();
        int lastFrom = -1;
        for (int i = 0; i < all.size(); i++) {
            Instruction in = all.get(i);
            if (in.keyword().equals("FROM")) {
                lastFrom = i;
                String[] words = in.args().split("\\s+");
                String image = words[0].startsWith("--platform") && words.length > 1 ? words[1] : words[0];
                if (!stages.contains(image) && (!PINNED.matcher(image).matches() || !image.contains(":")
                        && !image.contains("@"))) {
                    v.add("line " + in.line() + ": base image '" + image + "' is not pinned to a version tag or digest");
                }
                if (image.endsWith(":latest")) {
                    v.add("line " + in.line() + ": base image '" + image + "' uses the moving tag latest");
                }
                Matcher as = Pattern.compile("(?i)\\bAS\\s+(\\S+)").matcher(in.args());
                if (as.find()) {
                    stages.add(as.group(1));
                }
            }
            if (in.keyword().equals("ENV") || in.keyword().equals("ARG")) {
                for (String name : assignedNames(in.args())) {
                    if (SECRET_NAME.matcher(name).matches()) {
                        v.add("line " + in.line() + ": " + in.keyword() + " " + name + " would bake a secret into the image");
                    }
                }
            }
            if ((in.keyword().equals("COPY") || in.keyword().equals("ADD")) && !in.args().startsWith("--from")) {
                for (String src : sources(in.args())) {
                    if (SECRET_FILE.matcher(src).matches()) {
                        v.add("line " + in.line() + ": copies '" + src + "', which looks like a secret");
                    }
                }
            }
        }
        if (lastFrom < 0) {
            v.add("no FROM instruction");
            return v;
        }
        List<Instruction> fin = all.subList(lastFrom, all.size());
        if (!fin.get(0).args().split("\\s+")[0].contains("jre")) {
            v.add("line " + fin.get(0).line() + ": the final stage should run on a JRE image, not " + fin.get(0).args());
        }
        checkUser(fin, v);
        checkHealthcheck(fin, scripts, v);
        checkEntrypoint(fin, scripts, v);
        checkLayers(fin, v);
        if (fin.stream().noneMatch(in -> in.keyword().equals("VOLUME") && in.args().contains("/data"))) {
            v.add("the final stage declares no VOLUME for /data");
        }
        return v;
    }

    private static void checkUser(List<Instruction> fin, List<String> v) {
        Instruction user = null;
        for (Instruction in : fin) {
            if (in.keyword().equals("USER")) {
                user = in;
            }
        }
        if (user == null) {
            v.add("the final stage sets no USER, so the container runs as root");
            return;
        }
        String name = user.args().split(":")[0].strip();
        if (name.equals("root") || name.equals("0")) {
            v.add("line " + user.line() + ": USER " + user.args() + " is root");
        }
    }

    private static void checkHealthcheck(List<Instruction> fin, Function<String, String> scripts, List<String> v) {
        Instruction hc = fin.stream().filter(in -> in.keyword().equals("HEALTHCHECK")).reduce((a, b) -> b).orElse(null);
        if (hc == null) {
            v.add("the final stage has no HEALTHCHECK");
            return;
        }
        if (hc.args().contains("/actuator/health/readiness")) {
            return;
        }
        String script = scriptBehind(fin, commandWord(hc.args().replaceFirst("(?s)^.*?\\bCMD\\b", "")), scripts);
        if (script == null || !script.contains("/actuator/health/readiness")) {
            v.add("line " + hc.line() + ": HEALTHCHECK does not ask /actuator/health/readiness");
        }
    }

    private static void checkEntrypoint(List<Instruction> fin, Function<String, String> scripts, List<String> v) {
        Instruction ep = fin.stream().filter(in -> in.keyword().equals("ENTRYPOINT")).reduce((a, b) -> b).orElse(null);
        if (ep == null) {
            v.add("the final stage has no ENTRYPOINT");
            return;
        }
        if (!ep.args().startsWith("[")) {
            v.add("line " + ep.line() + ": ENTRYPOINT in shell form: /bin/sh would be PID 1 and swallow SIGTERM");
            return;
        }
        String first = commandWord(ep.args());
        if (first.equals("java")) {
            return;
        }
        String script = scriptBehind(fin, first, scripts);
        if (script == null || !Pattern.compile("(?m)^\\s*exec\\s+java\\b").matcher(script).find()) {
            v.add("line " + ep.line() + ": ENTRYPOINT " + first + " does not `exec java`, so SIGTERM may not reach the JVM");
        }
    }

    private static void checkLayers(List<Instruction> fin, List<String> v) {
        List<String> copied = new ArrayList<>();
        for (Instruction in : fin) {
            if (in.keyword().equals("COPY") && in.args().startsWith("--from")) {
                for (String layer : LAYERS) {
                    if (in.args().contains("/" + layer + "/")) {
                        copied.add(layer);
                    }
                }
            }
        }
        if (!copied.equals(LAYERS)) {
            v.add("the Spring Boot layers are not copied one COPY each in the order " + LAYERS + " (found " + copied + ")");
        }
    }

    /** The text of the build-context file COPY'd to {@code target}, or null. */
    private static String scriptBehind(List<Instruction> fin, String target, Function<String, String> scripts) {
        for (Instruction in : fin) {
            if (in.keyword().equals("COPY") && !in.args().startsWith("--")) {
                List<String> words = List.of(in.args().split("\\s+"));
                if (words.size() == 2 && words.get(1).equals(target)) {
                    return scripts.apply(words.get(0));
                }
            }
        }
        return null;
    }

    /** First word of a command in exec form ({@code ["a", "b"]}) or shell form ({@code a b}). */
    private static String commandWord(String command) {
        String c = command.strip();
        if (c.startsWith("[")) {
            Matcher m = Pattern.compile("\\[\\s*\"([^\"]*)\"").matcher(c);
            return m.find() ? m.group(1) : "";
        }
        return c.isEmpty() ? "" : c.split("\\s+")[0];
    }

    private static List<String> assignedNames(String args) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\\s|$)").matcher(args.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> sources(String args) {
        List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
        words.removeIf(w -> w.startsWith("--"));
        return words.size() < 2 ? List.of() : words.subList(0, words.size() - 1);
    }
}
