package dev.ratchet.watch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ratchet.state.Change;
import dev.ratchet.state.ChangeBatch;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** The JSON a watch stream carries. Thread-safe. */
final class WatchEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One change; {@code value} base64, absent (like {@code etag}) for a delete or an expiry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(String type, String key, String value, String etag, long createRevision, long modRevision,
            Long lease) {
    }

    /** Every change under the watched prefix at one revision. */
    record Changes(long revision, List<Event> events) {
    }

    record Progress(long revision) {
    }

    /** Why the server ended a watch, and where the client may resume (if it still can). */
    record Cancelled(String reason, long resumeFrom, long oldestAvailable, String detail) {
    }

    private WatchEvents() {
    }

    static String changes(ChangeBatch batch) {
        List<Event> events = batch.changes().stream().map(WatchEvents::event).toList();
        return JSON.writeValueAsString(new Changes(batch.revision(), events));
    }

    static String progress(long revision) {
        return JSON.writeValueAsString(new Progress(revision));
    }

    static String cancelled(String reason, long resumeFrom, long oldestAvailable, String detail) {
        return JSON.writeValueAsString(new Cancelled(reason, resumeFrom, oldestAvailable, detail));
    }

    private static Event event(Change c) {
        String value = c.value() == null ? null : Base64.getEncoder().encodeToString(c.value());
        return new Event(c.type().name().toLowerCase(java.util.Locale.ROOT), c.key(), value, c.etag(),
                c.createRevision(), c.modRevision(), c.lease() == 0 ? null : c.lease());
    }
}
