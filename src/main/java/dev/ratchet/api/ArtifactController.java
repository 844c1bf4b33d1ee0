package dev.ratchet.api;

import dev.ratchet.artifacts.ArtifactService;
import dev.ratchet.artifacts.ArtifactStoreFullException;
import dev.ratchet.artifacts.BlobStore;
import dev.ratchet.artifacts.StoredArtifact;
import dev.ratchet.config.ApiProperties;
import dev.ratchet.state.ArtifactRecord;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.KeyPaths;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replicated artifacts (files of any size). {@code PUT} streams the body to disk on this node and returns
 * once the put is committed and applied here, with {@code ETag} = the quoted SHA-256 of the content;
 * {@code If-Match} / {@code If-None-Match: *} work as for keys. {@code GET}/{@code HEAD} stream it back
 * with {@code Range} and {@code If-None-Match}; {@code Cache-Control: only-if-cached} answers 504 instead
 * of waiting when this node does not hold the content yet. Reads are linearizable unless {@code ?stale=true}.
 */
@RestController
@RequestMapping("/api/v1/artifacts")
class ArtifactController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ArtifactController.class);

    private final ArtifactService artifacts;
    private final ApiProperties properties;

    ArtifactController(ArtifactService artifacts, ApiProperties properties) {
        this.artifacts = artifacts;
        this.properties = properties;
    }

    /** One artifact of a listing. */
    record ArtifactInfo(String path, String etag, long size, long modRevision) {
        static ArtifactInfo of(ArtifactRecord r) {
            return new ArtifactInfo(r.path(), r.etag(), r.size(), r.modRevision());
        }
    }

    /** A page of artifacts; {@code next} is the {@code after} value for the next page, null on the last. */
    record ArtifactPage(List<ArtifactInfo> items, String next) {
    }

    /** The answer to a put. */
    record PutResult(String path, String etag, long revision) {
    }

    /** The answer to a prefix delete. */
    record DeleteResult(String prefix, int deleted, long revision) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ArtifactPage list(@RequestParam(defaultValue = "") String prefix, @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "false") boolean stale)
            throws Exception {
        String validPrefix = KeyPaths.requireValidPrefix(prefix);
        if (limit < 1 || limit > properties.maxListLimit()) {
            throw new BadRequestException("limit must be between 1 and " + properties.maxListLimit());
        }
        readBarrier(stale);
        List<ArtifactRecord> page = artifacts.list(validPrefix, after, limit + 1);
        boolean more = page.size() > limit;
        List<ArtifactInfo> items = page.stream().limit(limit).map(ArtifactInfo::of).toList();
        return new ArtifactPage(items, more ? items.get(items.size() - 1).path() : null);
    }

    @PutMapping("/{*path}")
    CompletableFuture<ResponseEntity<PutResult>> put(@PathVariable("path") String rawPath, HttpServletRequest request,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws IOException {
        String path = path(rawPath);
        EntityTags.WritePreconditions preconditions = EntityTags.parseWrite(ifMatch, ifNoneMatch);
        String match = preconditions.ifMatch();
        boolean createOnly = preconditions.createOnly();
        CompletableFuture<CommandResult> applied;
        try {
            applied = artifacts.put(path, request.getInputStream(), request.getContentLengthLong(), match, createOnly);
        } catch (BlobStore.BlobTooLargeException e) {
            throw new PayloadTooLargeException(e.getMessage());
        } catch (BlobStore.LengthMismatchException | BlobStore.BodyReadException e) {
            throw new BadRequestException(e.getMessage());
        }
        return timed(applied).thenApply(result -> {
            if (result instanceof CommandResult.Written w) {
                return ResponseEntity.ok().eTag(EntityTags.quote(w.etag()))
                        .body(new PutResult(path, w.etag(), w.revision()));
            }
            throw failure(path, result);
        });
    }

    @GetMapping("/{*path}")
    void get(@PathVariable("path") String rawPath, @RequestParam(defaultValue = "false") boolean stale,
            HttpServletRequest request, HttpServletResponse response) throws Exception {
        String path = path(rawPath);
        readBarrier(stale);
        ArtifactRecord record = artifacts.find(path);
        if (record == null) {
            throw new NotFoundException("no artifact '" + path + "'");
        }
        String etag = EntityTags.quote(record.etag());
        if (EntityTags.noneMatchHits(request.getHeader(HttpHeaders.IF_NONE_MATCH), record.etag())) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            response.setHeader(HttpHeaders.ETAG, etag);
            return;
        }
        String cacheControl = request.getHeader(HttpHeaders.CACHE_CONTROL);
        if (cacheControl != null && cacheControl.contains("only-if-cached") && !artifacts.isLocal(record.etag())) {
            response.setStatus(HttpStatus.GATEWAY_TIMEOUT.value());
            response.setHeader(HttpHeaders.ETAG, etag);
            return;
        }
        String rangeHeader = request.getHeader(HttpHeaders.RANGE);
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        ByteRange range;
        try {
            range = ifRange == null || ifRange.strip().equals(etag) ? ByteRange.parse(rangeHeader, record.size()) : null;
        } catch (ByteRange.NotSatisfiableException e) {
            response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + record.size());
            response.setHeader(HttpHeaders.ETAG, etag);
            return;
        }
        try (StoredArtifact stored = artifacts.open(record)) {
            long first = range == null ? 0 : range.first();
            long length = range == null ? record.size() : range.length();
            response.setStatus(range == null ? HttpStatus.OK.value() : HttpStatus.PARTIAL_CONTENT.value());
            if (range != null) {
                response.setHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(record.size()));
            }
            response.setHeader(HttpHeaders.ETAG, etag);
            response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
            response.setHeader("X-Ratchet-Revision", Long.toString(record.modRevision()));
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(length);
            if (!"HEAD".equals(request.getMethod())) {
                try {
                    copy(stored, first, length, response.getOutputStream());
                } catch (IOException e) {
                    // The status and length are sent: the client sees a short body, never wrong bytes.
                    log.debug("streaming '{}' stopped: {}", path, e.toString());
                }
            }
        }
    }

    @DeleteMapping("/{*path}")
    CompletableFuture<ResponseEntity<Void>> delete(@PathVariable("path") String rawPath,
            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        String path = path(rawPath);
        return timed(artifacts.delete(path, EntityTags.parseIfMatch(ifMatch))).thenApply(result -> {
            if (result instanceof CommandResult.Deleted d) {
                return ResponseEntity.noContent().header("X-Ratchet-Revision", Long.toString(d.revision())).build();
            }
            throw failure(path, result);
        });
    }

    @DeleteMapping
    CompletableFuture<DeleteResult> deletePrefix(@RequestParam(required = false) String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new BadRequestException("DELETE /api/v1/artifacts needs a non-empty ?prefix= (the tree to remove)");
        }
        String valid = KeyPaths.requireValidPrefix(prefix);
        return timed(artifacts.deletePrefix(valid)).thenApply(result -> {
            if (result instanceof CommandResult.Deleted d) {
                return new DeleteResult(valid, d.count(), d.revision());
            }
            throw failure(valid, result);
        });
    }

    /**
     * The artifact store has no room for an upload (quota or free-space reserve): 507 naming the
     * property that refused it. Deletes never get this.
     */
    @ExceptionHandler(ArtifactStoreFullException.class)
    ResponseEntity<ProblemDetail> storeFull(ArtifactStoreFullException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INSUFFICIENT_STORAGE, e.getMessage());
        p.setTitle("Artifact store full");
        p.setProperty("property", e.property());
        return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    /** A blob still on its way to this node: 503 with Retry-After rather than wrong or partial bytes. */
    @ExceptionHandler(ArtifactService.BlobUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ArtifactService.BlobUnavailableException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        p.setTitle("Content not here yet");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(p);
    }

    private static void copy(StoredArtifact stored, long first, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        long position = first;
        long remaining = length;
        while (remaining > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
            int n = stored.channel().read(buffer, position);
            if (n < 0) {
                throw new IOException("blob ended early at byte " + position);
            }
            out.write(buffer.array(), 0, n);
            position += n;
            remaining -= n;
        }
        out.flush();
    }

    private static RuntimeException failure(String path, CommandResult result) {
        if (result instanceof CommandResult.PreconditionFailed p) {
            return new PreconditionFailedException(path, p.currentEtag());
        }
        if (result instanceof CommandResult.NotFound) {
            return new NotFoundException("no artifact '" + path + "'");
        }
        return new IllegalStateException("unexpected result " + result + " for artifact " + path);
    }

    private void readBarrier(boolean stale) throws Exception {
        if (stale) {
            return;
        }
        try {
            artifacts.linearizableRead().get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        } catch (TimeoutException e) {
            throw e;
        }
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
        return f.orTimeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String path(String captured) {
        // {*path} captures the rest of the path including its leading slash.
        String path = captured.startsWith("/") ? captured.substring(1) : captured;
        return KeyPaths.requireValid(path);
    }
}
