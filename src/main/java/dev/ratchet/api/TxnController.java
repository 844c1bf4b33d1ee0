package dev.ratchet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.TxnOp;
import dev.ratchet.state.TxnOpResult;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Multi-key transactions ({@code POST /api/v1/txn}): compares on up to 64 keys, then the success or the
 * failure branch of puts and deletes, applied atomically in one log entry (etcd's Txn, Consul's
 * {@code /v1/txn}). The body is bounded before it is parsed. Path for authorization rules:
 * {@code /api/v1/txn} (a write).
 */
@RestController
@RequestMapping("/api/v1/txn")
class TxnController {

    /** JSON framing allowed beyond the values themselves (keys, etags, base64 growth is added apart). */
    static final long BODY_OVERHEAD_BYTES = 256 * 1024;

    private final Replicator replicator;
    private final ApiProperties properties;
    private final RequestThreadWait waits;
    // Unknown fields are refused: a typo such as "sucess" must not silently run an empty branch.
    private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    TxnController(Replicator replicator, ApiProperties properties, RequestThreadWait waits) {
        this.replicator = replicator;
        this.properties = properties;
        this.waits = waits;
    }

    /** What one operation did; {@code etag} and {@code created} for a put, {@code deleted} for a delete. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OpResult(String op, String key, long revision, String etag, Boolean created, Integer deleted) {
        static OpResult of(TxnOpResult r) {
            return r.etag() != null ? new OpResult("put", r.key(), r.revision(), r.etag(), r.created(), null)
                    : new OpResult("delete", r.key(), r.revision(), null, null, r.deleted());
        }
    }

    /** The answer: which branch ran, the revision it ran at, and one result per operation of that branch. */
    record TxnResponse(boolean succeeded, long revision, List<OpResult> results) {
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    TxnResponse txn(HttpServletRequest request) throws IOException, ExecutionException, TimeoutException {
        long maxValues = properties.maxValueSize().toBytes();
        byte[] body = RequestBodies.read(request, maxValues * 4 / 3 + BODY_OVERHEAD_BYTES, "transaction body");
        TxnRequest parsed;
        try {
            parsed = json.readValue(body, TxnRequest.class);
        } catch (JacksonException e) {
            throw new BadRequestException("the transaction body is not valid: " + e.getOriginalMessage());
        }
        if (parsed == null) {
            throw new BadRequestException("the transaction body is empty");
        }
        Command.Txn txn = parsed.toCommand(maxValues);
        Map<String, Integer> writes = new HashMap<>();
        // Either branch may run: count the larger write to each key.
        for (List<TxnOp> branch : List.of(txn.success(), txn.failure())) {
            for (TxnOp op : branch) {
                if (op instanceof TxnOp.Put p) {
                    writes.merge(p.key(), p.value().length, Math::max);
                }
            }
        }
        StoreQuota.check(replicator.state(), properties, writes);
        return answer(waits.await(RequestThreadWait.Kind.WRITE, () -> replicator.submit(txn)));
    }

    private static TxnResponse answer(CommandResult result) {
        if (result instanceof CommandResult.TxnDone d) {
            return new TxnResponse(d.succeeded(), d.revision(), d.results().stream().map(OpResult::of).toList());
        }
        if (result instanceof CommandResult.LeaseNotFound l) {
            throw new NotFoundException("lease " + l.leaseId() + " does not exist (never granted, revoked or expired);"
                    + " nothing was written");
        }
        throw new IllegalStateException("unexpected result " + result + " for a transaction");
    }
}
