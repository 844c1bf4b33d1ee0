package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.Replicator;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.Document;
import dev.ratchet.state.KeyPaths;
import dev.ratchet.state.TxnCompare;
import dev.ratchet.state.TxnOp;
import dev.ratchet.state.TxnOpResult;
import dev.ratchet.watch.WatchHub;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Key/value documents. Reads are linearizable unless {@code ?stale=true}; writes return once committed
 * and applied. Values are raw bytes; their etag comes back in the {@code ETag} header.
 *
 * <p>Blocking reads (Consul's blocking queries): {@code ?waitRevision=N&wait=30s} on a key or a listing
 * answers as soon as the key (or anything under the prefix) changes after revision N, or with the current
 * value when {@code wait} runs out. Every read answers {@code X-Ratchet-Index}, the revision to pass as the
 * next {@code waitRevision}. A PUT that creates a key answers 201; {@code ?lease=ID} attaches the key to a
 * lease, so it is deleted when the lease ends.
 */
@RestController
@RequestMapping("/api/v1/kv")
class KvController {

    /** The header carrying the revision a blocking read's client passes as its next waitRevision. */
    static final String INDEX_HEADER = "X-Ratchet-Index";

    private final Replicator replicator;
    private final ApiProperties properties;
    private final WatchHub hub;
    private final RequestThreadWait waits;

    KvController(Replicator replicator, ApiProperties properties, WatchHub hub, RequestThreadWait waits) {
        this.replicator = replicator;
        this.properties = properties;
        this.hub = hub;
        this.waits = waits;
    }

    /** One entry of a listing. */
    record KeyInfo(String key, String etag, long size, long createRevision, long modRevision) {
        static KeyInfo of(Document d) {
            return new KeyInfo(d.key(), d.etag(), d.size(), d.createRevision(), d.modRevision());
        }
    }

    /** A page of keys; {@code next} is the {@code after} value for the next page, null on the last. */
    record KeyPage(List<KeyInfo> items, String next) {
    }

    /** The answer to a write. */
    record WriteResult(String key, String etag, long revision) {
    }

    /**
     * A listing that does not wait for a change, answered on the request's thread: a stale one from the local
     * replica, a linearizable one after the read barrier ({@link RequestThreadWait}).
     */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE, params = "!waitRevision")
    ResponseEntity<KeyPage> list(@RequestParam(defaultValue = "") String prefix,
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "false") boolean stale) throws ExecutionException, TimeoutException {
        String validPrefix = validListing(prefix, limit);
        readBarrier(stale);
        return page(validPrefix, after, limit, replicator.state().history().head());
    }

    /** A blocking listing: answers once anything under the prefix changed after {@code waitRevision}. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE, params = "waitRevision")
    DeferredResult<ResponseEntity<KeyPage>> listWhenChanged(@RequestParam(defaultValue = "") String prefix,
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "false") boolean stale,
            @RequestParam(required = false) Long waitRevision,
            @RequestParam(required = false) String wait) {
        String validPrefix = validListing(prefix, limit);
        return blockingRead(validPrefix, true, stale, waitRevision, wait, index -> page(validPrefix, after, limit, index));
    }

    private String validListing(String prefix, int limit) {
        String validPrefix = KeyPaths.requireValidPrefix(prefix);
        if (limit < 1 || limit > properties.maxListLimit()) {
            throw new BadRequestException("limit must be between 1 and " + properties.maxListLimit());
        }
        return validPrefix;
    }

    private ResponseEntity<KeyPage> page(String validPrefix, String after, int limit, long index) {
        List<Document> page = replicator.state().listDocuments(validPrefix, after, limit + 1);
        boolean more = page.size() > limit;
        List<KeyInfo> items = page.stream().limit(limit).map(KeyInfo::of).toList();
        return ResponseEntity.ok().header(INDEX_HEADER, Long.toString(index))
                .body(new KeyPage(items, more ? items.get(items.size() - 1).key() : null));
    }

    /**
     * A read that does not wait for a change, answered on the request's thread: a stale one straight from
     * the local replica (going through async processing would dispatch the request a second time, which
     * made a stale read dearer than a linearizable one, issue 14), a linearizable one after the read
     * barrier ({@link RequestThreadWait}).
     */
    @GetMapping(path = "/{*key}", params = "!waitRevision")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, schema = @Schema(type = "string"))
    @Parameter(name = "stale", in = ParameterIn.QUERY, schema = @Schema(type = "boolean", defaultValue = "false"))
    @Parameter(name = HttpHeaders.IF_NONE_MATCH, in = ParameterIn.HEADER, schema = @Schema(type = "string"))
    // Taken by getWhenChanged: springdoc documents one operation per path and method, and this one's explicit
    // parameters would otherwise leave the blocking read's out.
    @Parameter(name = "waitRevision", in = ParameterIn.QUERY, schema = @Schema(type = "integer", format = "int64"))
    @Parameter(name = "wait", in = ParameterIn.QUERY, schema = @Schema(type = "string"))
    ResponseEntity<byte[]> get(@Parameter(hidden = true) HttpServletRequest request)
            throws ExecutionException, TimeoutException {
        // Parts read by RequestParts, not by argument resolvers: this is the hottest read (see there).
        // Parameters before the key, as argument resolution came before the method's body.
        boolean stale = RequestParts.flag(request, "stale");
        String key = key(request);
        readBarrier(stale);
        return document(key, replicator.state().history().head(), RequestParts.header(request, HttpHeaders.IF_NONE_MATCH));
    }

    /** A blocking read: answers once the key changed after {@code waitRevision}, or when {@code wait} runs out. */
    @GetMapping(path = "/{*key}", params = "waitRevision")
    DeferredResult<ResponseEntity<byte[]>> getWhenChanged(@PathVariable("key") String rawKey,
            @RequestParam(defaultValue = "false") boolean stale,
            @RequestParam(required = false) Long waitRevision,
            @RequestParam(required = false) String wait,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        String key = key(rawKey);
        return blockingRead(key, false, stale, waitRevision, wait, index -> document(key, index, ifNoneMatch));
    }

    private ResponseEntity<byte[]> document(String key, long index, String ifNoneMatch) {
        Document doc = replicator.state().document(key);
        if (doc == null) {
            throw new NotFoundException("no key '" + key + "'");
        }
        if (EntityTags.noneMatchHits(ifNoneMatch, doc.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(EntityTags.quote(doc.etag()))
                    .header(INDEX_HEADER, Long.toString(index)).build();
        }
        return ResponseEntity.ok().eTag(EntityTags.quote(doc.etag()))
                .header("X-Ratchet-Revision", Long.toString(doc.modRevision()))
                .header(INDEX_HEADER, Long.toString(index))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(doc.value());
    }

    /**
     * Writes a key: 201 with a Location when it created the key, 200 when it replaced it. Submitted as a
     * one-operation transaction whose compares are the preconditions, so the lease check, the
     * preconditions and the write are decided together in log order.
     */
    @PutMapping("/{*key}")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, schema = @Schema(type = "string"))
    @Parameter(name = "lease", in = ParameterIn.QUERY, schema = @Schema(type = "integer", format = "int64"))
    @Parameter(name = HttpHeaders.IF_MATCH, in = ParameterIn.HEADER, schema = @Schema(type = "string"))
    @Parameter(name = HttpHeaders.IF_NONE_MATCH, in = ParameterIn.HEADER, schema = @Schema(type = "string"))
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<WriteResult> put(@Parameter(hidden = true) HttpServletRequest request)
            throws IOException, ExecutionException, TimeoutException {
        // Parts read by RequestParts, not by argument resolvers: this is the hottest write (see there).
        Long lease = RequestParts.optionalLong(request, "lease");
        String key = key(request);
        EntityTags.WritePreconditions preconditions = EntityTags.parseWrite(
                RequestParts.header(request, HttpHeaders.IF_MATCH), RequestParts.header(request, HttpHeaders.IF_NONE_MATCH));
        if (lease != null && lease < 1) {
            throw new BadRequestException("lease must be a lease id (>= 1)");
        }
        byte[] value = readBody(request);
        checkQuota(key, value.length);
        List<TxnCompare> compares = new ArrayList<>(1);
        if (preconditions.createOnly()) {
            compares.add(new TxnCompare.Exists(key, false));
        } else if (Command.ANY_ETAG.equals(preconditions.ifMatch())) {
            compares.add(new TxnCompare.Exists(key, true));
        } else if (preconditions.ifMatch() != null) {
            compares.add(new TxnCompare.Etag(key, preconditions.ifMatch()));
        }
        Command.Txn txn = new Command.Txn(compares, List.of(new TxnOp.Put(key, value, lease == null ? 0 : lease)), List.of());
        CommandResult result = submit(txn);
        if (result instanceof CommandResult.TxnDone d && d.succeeded()) {
            TxnOpResult w = d.results().get(0);
            ResponseEntity.BodyBuilder answer = w.created()
                    ? ResponseEntity.created(URI.create("/api/v1/kv/" + key)) : ResponseEntity.ok();
            return answer.eTag(EntityTags.quote(w.etag())).body(new WriteResult(key, w.etag(), w.revision()));
        }
        if (result instanceof CommandResult.TxnDone) {
            Document now = replicator.state().document(key);
            throw new PreconditionFailedException(key, now == null ? null : now.etag());
        }
        if (result instanceof CommandResult.LeaseNotFound l) {
            throw new NotFoundException("lease " + l.leaseId() + " does not exist (never granted, revoked or expired)");
        }
        throw failure(key, result);
    }

    @DeleteMapping("/{*key}")
    @Parameter(name = "key", in = ParameterIn.PATH, required = true, schema = @Schema(type = "string"))
    @Parameter(name = HttpHeaders.IF_MATCH, in = ParameterIn.HEADER, schema = @Schema(type = "string"))
    ResponseEntity<Void> delete(@Parameter(hidden = true) HttpServletRequest request)
            throws ExecutionException, TimeoutException {
        String key = key(request);
        CommandResult result = submit(new Command.DeleteKey(key,
                EntityTags.parseIfMatch(RequestParts.header(request, HttpHeaders.IF_MATCH))));
        if (result instanceof CommandResult.Deleted d) {
            return ResponseEntity.noContent().header("X-Ratchet-Revision", Long.toString(d.revision())).build();
        }
        throw failure(key, result);
    }

    /**
     * Refuses a write that would take the documents past the quota: every node keeps every document in
     * memory, and a store that outgrows the heap takes all the nodes down at once. Checked on the node
     * that takes the request against its own (possibly slightly stale) view: the quota is a guard rail,
     * not an exact figure, and the state machine itself stays deterministic.
     */
    private void checkQuota(String key, long valueBytes) {
        long[] stats = replicator.state().documentStats();
        Document current = replicator.state().document(key);
        long growth = current == null ? valueBytes + ApiProperties.DOCUMENT_OVERHEAD_BYTES : valueBytes - current.size();
        long used = stats[1] + stats[0] * ApiProperties.DOCUMENT_OVERHEAD_BYTES;
        long quota = properties.storeQuotaBytes();
        if (growth > 0 && used + growth > quota) {
            throw new StoreFullException("the documents would take " + (used + growth) + " bytes, over the store's quota of "
                    + quota + " bytes (ratchet.api.max-store-size); delete keys to make room or raise the quota and the heap");
        }
    }

    private static RuntimeException failure(String key, CommandResult result) {
        if (result instanceof CommandResult.PreconditionFailed p) {
            return new PreconditionFailedException(key, p.currentEtag());
        }
        if (result instanceof CommandResult.NotFound) {
            return new NotFoundException("no key '" + key + "'");
        }
        return new IllegalStateException("unexpected result " + result + " for key " + key);
    }

    /**
     * A read that, with {@code waitRevision}, first waits for a change after that revision (or for
     * {@code wait}). The index is read before the state, so a change that lands in between makes the
     * client's next wait return at once rather than be missed.
     */
    private <T> DeferredResult<ResponseEntity<T>> blockingRead(String target, boolean prefix, boolean stale,
            Long waitRevision, String wait, java.util.function.LongFunction<ResponseEntity<T>> read) {
        Duration waitFor = waitRevision == null ? Duration.ZERO : WaitDurations.parse(wait);
        if (waitRevision != null && waitRevision < 0) {
            throw new BadRequestException("waitRevision must be >= 0");
        }
        DeferredResult<ResponseEntity<T>> deferred = new DeferredResult<>(
                waitFor.plus(properties.requestTimeout()).plusSeconds(5).toMillis());
        readBarrierAsync(stale).thenCompose(v -> waitRevision == null
                        ? CompletableFuture.completedFuture(replicator.state().history().head())
                        : hub.awaitChange(target, prefix, waitRevision, waitFor))
                .thenApply(index -> read.apply(replicator.state().history().head()))
                .whenComplete((answer, e) -> {
                    if (e != null) {
                        deferred.setErrorResult(e);
                    } else {
                        deferred.setResult(answer);
                    }
                });
        return deferred;
    }

    private CompletableFuture<Void> readBarrierAsync(boolean stale) {
        if (stale) {
            return CompletableFuture.completedFuture(null);
        }
        return replicator.linearizableRead().orTimeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits on this thread for a linearizable read's barrier; nothing for a stale read. */
    private void readBarrier(boolean stale) throws ExecutionException, TimeoutException {
        if (!stale) {
            waits.await(RequestThreadWait.Kind.READ, replicator::linearizableRead);
        }
    }

    /** Proposes and waits on this thread for the applied result ({@link RequestThreadWait}). */
    private CommandResult submit(Command command) throws ExecutionException, TimeoutException {
        return waits.await(RequestThreadWait.Kind.WRITE, () -> replicator.submit(command));
    }

    /** The validated key of a request to {@code /{*key}} (read without an argument resolver, see RequestParts). */
    private static String key(HttpServletRequest request) {
        return key(RequestParts.pathVariable(request, "key"));
    }

    private static String key(String captured) {
        // {*key} captures the rest of the path including its leading slash.
        String key = captured.startsWith("/") ? captured.substring(1) : captured;
        return KeyPaths.requireValid(key);
    }

    private byte[] readBody(HttpServletRequest request) throws IOException {
        long limit = properties.maxValueSize().toBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new PayloadTooLargeException("value of " + declared + " bytes exceeds the limit of " + limit + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw new PayloadTooLargeException("value exceeds the limit of " + limit + " bytes");
            }
            if (declared >= 0 && body.length != declared) {
                throw new BadRequestException("body has " + body.length + " bytes but Content-Length says " + declared);
            }
            return body;
        }
    }
}
