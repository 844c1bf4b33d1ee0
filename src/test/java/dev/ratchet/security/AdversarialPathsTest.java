package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's adversarial suite: every protected path of a running node (the admin API, every actuator
 * endpoint but health and Prometheus, and, anonymous access being off here, the data plane) in encoded,
 * double-slash, dot-segment, {@code ;param}, case-changed, trailing-slash, encoded-slash, backslash,
 * NUL, overlong-UTF-8 and absolute-form spellings, without credentials and with a data-plane token.
 * Every answer must be 400, 401, 403 or 404; never a success, a redirect or a server error. Sent over a
 * plain socket, so each spelling reaches Tomcat exactly as written.
 */
class AdversarialPathsTest extends SoloNodeTest {

    /** A protected endpoint: method, path, and a JSON body for the ones that take one. */
    record Endpoint(String method, String path, String body) {
    }

    private static final List<Endpoint> PROTECTED = List.of(
            new Endpoint("GET", "/api/v1/admin/backup", null),
            new Endpoint("POST", "/api/v1/admin/snapshot", null),
            new Endpoint("POST", "/api/v1/admin/roots/rotate", null),
            new Endpoint("POST", "/api/v1/admin/leadership/transfer", null),
            new Endpoint("POST", "/api/v1/admin/members", "{\"id\":\"x\",\"peerAddress\":\"127.0.0.1:9\",\"apiUrl\":\"http://127.0.0.1:9\"}"),
            new Endpoint("DELETE", "/api/v1/admin/members/x", null),
            new Endpoint("GET", "/api/v1/admin/tokens", null),
            new Endpoint("POST", "/api/v1/admin/tokens", "{\"name\":\"x\",\"grants\":[\"admin\"]}"),
            new Endpoint("DELETE", "/api/v1/admin/tokens/0123456789ab", null),
            new Endpoint("GET", "/actuator", null),
            new Endpoint("GET", "/actuator/roots", null),
            new Endpoint("GET", "/actuator/consensus", null),
            new Endpoint("GET", "/actuator/info", null),
            new Endpoint("GET", "/api/v1/cluster", null),
            new Endpoint("GET", "/api/v1/kv/app/key", null),
            new Endpoint("PUT", "/api/v1/kv/app/key", "\"v\""),
            new Endpoint("GET", "/api/v1/kv", null),
            new Endpoint("GET", "/api/v1/artifacts", null),
            new Endpoint("PUT", "/api/v1/artifacts/app/a.bin", "\"v\""),
            new Endpoint("DELETE", "/api/v1/artifacts?prefix=app/", null));

    /** Ways out of the open endpoints into protected ones. */
    private static final List<String> ESCAPES_FROM_OPEN_PATHS = List.of(
            "/actuator/health/../roots", "/actuator/health/..;/roots", "/actuator/health/%2e%2e/roots",
            "/actuator/health/.%2e/roots", "/actuator/health;/../roots", "/actuator/health%2f..%2froots",
            "/actuator/prometheus/../consensus", "/actuator/health/../../api/v1/admin/backup",
            "/api/v1/cluster/roots/../../admin/backup", "/api/v1/cluster/join/..;/../admin/backup",
            "/actuator/health/%2E%2E/consensus", "/actuator/health/%252e%252e/roots");

    /** Every spelling of {@code path} (query kept as it is) this suite tries. */
    static Set<String> spellings(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        String[] segs = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            out.add(with(segs, i, String.format("%%%02x", (int) s.charAt(0)) + s.substring(1)));
            out.add(with(segs, i, String.format("%%%02X", (int) s.charAt(0)) + s.substring(1)));
            out.add(with(segs, i, encodeAll(s)));
            out.add(with(segs, i, s.toUpperCase(Locale.ROOT)));
            out.add(with(segs, i, Character.toUpperCase(s.charAt(0)) + s.substring(1)));
            out.add(with(segs, i, s + ";a=b"));
            out.add(with(segs, i, s + ";"));
            out.add(with(segs, i, s + "%00"));
            out.add(with(segs, i, s + "%20"));
            out.add(with(segs, i, s + "%2e"));
            out.add(with(segs, i, s + "."));
            out.add(with(segs, i, "." + "/" + s));
            out.add(with(segs, i, "x/../" + s));
            out.add(with(segs, i, "x/%2e%2e/" + s));
            out.add(with(segs, i, "x/..;/" + s));
            out.add(with(segs, i, "/" + s));
        }
        for (int i = 1; i < segs.length; i++) {
            String left = "/" + String.join("/", java.util.Arrays.copyOfRange(segs, 0, i));
            String right = String.join("/", java.util.Arrays.copyOfRange(segs, i, segs.length));
            out.add(left + "%2F" + right);
            out.add(left + "%2f" + right);
            out.add(left + "\\" + right);
            out.add(left + "%5C" + right);
            out.add(left + "%c0%af" + right);
            out.add(left + "/%2e/" + right);
        }
        out.add("/" + path);
        out.add(path + "/");
        out.add(path + "//");
        out.add(path + "/.");
        out.add(path + "/..");
        out.add(path + ";jsessionid=0");
        out.add(path.toUpperCase(Locale.ROOT));
        out.add("http://127.0.0.1" + path);
        out.add("http://127.0.0.1/x/.." + path);
        List<String> withQuery = new ArrayList<>();
        for (String s : out) {
            withQuery.add(s + query);
        }
        return new LinkedHashSet<>(withQuery);
    }

    private static String with(String[] segs, int i, String replacement) {
        String[] copy = segs.clone();
        copy[i] = replacement;
        return "/" + String.join("/", copy);
    }

    private static String encodeAll(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(String.format("%%%02X", (int) c));
        }
        return b.toString();
    }

    private static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 404);

    @Test
    void noSpellingOfAProtectedPathIsServedWithoutTheRightCredentials() throws IOException {
        String reader = readerToken();
        List<String> served = new ArrayList<>();
        int requests = 0;
        for (Endpoint e : PROTECTED) {
            for (String target : spellings(e.path())) {
                for (String credential : new String[] {null, reader}) {
                    if (credential != null && !e.path().contains("admin") && !e.path().startsWith("/actuator")) {
                        continue; // The reader may read the data plane; its refusals are in RolesHttpTest.
                    }
                    RawHttp.Response r = http.send(e.method(), target, credential, e.body());
                    requests++;
                    if (!REFUSALS.contains(r.status())) {
                        served.add(e.method() + " " + target + (credential == null ? "" : " (reader token)") + " -> "
                                + r.status());
                    }
                }
            }
        }
        assertThat(served).as("of %d requests", requests).isEmpty();
        assertThat(requests).isGreaterThan(1000);
    }

    @Test
    void noEscapeFromAnOpenPathReachesAProtectedOne() throws IOException {
        for (String target : ESCAPES_FROM_OPEN_PATHS) {
            RawHttp.Response r = http.send("GET", target, null);
            assertThat(r.status()).as("GET %s -> %s", target, r.body()).isIn(400, 401, 403, 404);
        }
    }

    @Test
    void thePlainSpellingsDoWorkWithTheAdminToken() throws IOException {
        for (Endpoint e : PROTECTED) {
            if (e.method().equals("GET")) {
                RawHttp.Response r = http.send("GET", e.path(), SoloNode.ADMIN_TOKEN);
                assertThat(r.status()).as("GET %s as admin", e.path()).isIn(200, 404);
            }
        }
        assertThat(http.send("GET", "/actuator/roots", SoloNode.ADMIN_TOKEN).status()).isEqualTo(200);
    }

    private String readerToken() throws IOException {
        RawHttp.Response r = http.send("POST", "/api/v1/admin/tokens", SoloNode.ADMIN_TOKEN,
                "{\"name\":\"adversary\",\"grants\":[\"kv:readwrite:\",\"artifacts:readwrite:\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String body = r.body();
        int at = body.indexOf("\"token\":\"") + 9;
        return body.substring(at, body.indexOf('"', at));
    }
}
