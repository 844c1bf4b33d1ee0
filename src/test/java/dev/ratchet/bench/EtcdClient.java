package dev.ratchet.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * etcd's v3 JSON gateway ({@code POST /v3/kv/put}, {@code /v3/kv/range}) through the same blocking
 * keep-alive HTTP/1.1 client ({@link BlockingHttp}) as {@link KvClient} uses for Ratchet, so both systems
 * pay the same client costs.
 * Keys live under {@code bench/}, as Ratchet's do. Thread-safe; calls block; failures are {@code false}.
 */
final class EtcdClient implements KvBackend<EtcdCluster.Member> {

    private static final Base64.Encoder B64 = Base64.getEncoder();

    @Override
    public boolean put(EtcdCluster.Member member, String key, byte[] value, Duration timeout) {
        String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + B64.encodeToString(value) + "\"}";
        return post(member, "/v3/kv/put", body, timeout) != null;
    }

    /** A linearizable range (etcd's default), or a serializable one (served from the member's state). */
    @Override
    public boolean get(EtcdCluster.Member member, String key, boolean stale, Duration timeout) {
        String body = "{\"key\":\"" + b64(key) + "\"" + (stale ? ",\"serializable\":true" : "") + "}";
        String answer = post(member, "/v3/kv/range", body, timeout);
        // An empty range leaves "kvs" out of the JSON answer.
        return answer != null && answer.contains("\"kvs\"");
    }

    /** True if {@code member} answers its status and names itself as the leader. */
    boolean leads(EtcdCluster.Member member) {
        String answer = post(member, "/v3/maintenance/status", "{}", Duration.ofSeconds(2));
        if (answer == null) {
            return false;
        }
        JsonNode status = Json.MAPPER.readTree(answer);
        String self = status.path("header").path("member_id").asString("");
        return !self.isEmpty() && self.equals(status.path("leader").asString(""));
    }

    /** The closed-loop calls the load windows time go through the same client as Ratchet's. */
    private final BlockingHttp loop = new BlockingHttp();

    private String post(EtcdCluster.Member member, String path, String body, Duration timeout) {
        BlockingHttp.Answer a = loop.exchange("POST", member.url(path), "application/json",
                body.getBytes(StandardCharsets.UTF_8), timeout);
        return a.status() == 200 ? a.text() : null;
    }

    private static String b64(String key) {
        return B64.encodeToString(("bench/" + key).getBytes(StandardCharsets.UTF_8));
    }
}
