package dev.ratchet.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** HTTP and disk helpers for artifact tests against real node processes. */
final class ArtifactHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ArtifactHttp() {
    }

    /** Deterministic pseudo-random bytes of a given length; {@link #sha256Hex()} after it was read. */
    static final class GeneratedContent extends InputStream {
        private final SplittableRandom random;
        private final MessageDigest digest;
        private long remaining;
        private final byte[] one = new byte[1];

        GeneratedContent(long seed, long length) {
            this.random = new SplittableRandom(seed);
            this.remaining = length;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (v >>> (8 * j));
                }
            }
            digest.update(b, off, n);
            remaining -= n;
            return n;
        }

        String sha256Hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    static HttpResponse<String> put(NodeProcess n, String path, InputStream body, long length, Duration timeout,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url("/api/v1/artifacts/" + path)).timeout(timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> put(NodeProcess n, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return put(n, path, new java.io.ByteArrayInputStream(body), body.length, Timeouts.seconds(20), headers);
    }

    static HttpResponse<byte[]> get(NodeProcess n, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url("/api/v1/artifacts/" + path)).timeout(Timeouts.seconds(20)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> request(NodeProcess n, String method, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(n.url("/api/v1/artifacts" + pathAndQuery))
                .timeout(Timeouts.seconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams a GET through SHA-256; returns status, etag header and the digest of the body. */
    record Download(int status, String etag, String sha256, long bytes) {
    }

    static Download download(NodeProcess n, String path, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(n.url("/api/v1/artifacts/" + path)).timeout(timeout).GET().build();
        HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (DigestInputStream in = new DigestInputStream(r.body(), MessageDigest.getInstance("SHA-256"))) {
            long bytes = in.transferTo(OutputStreamSink.INSTANCE);
            return new Download(r.statusCode(), r.headers().firstValue("ETag").map(LocalCluster::etag).orElse(null),
                    HexFormat.of().formatHex(in.getMessageDigest().digest()), bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if the node holds the artifact's content locally (HEAD with only-if-cached answers 200). */
    static boolean holds(NodeProcess n, String path) throws IOException, InterruptedException {
        return request(n, "HEAD", "/" + path + "?stale=true", "Cache-Control", "only-if-cached").statusCode() == 200;
    }

    /** The {@code artifacts} health details of a node. */
    static JsonNode stats(NodeProcess n) throws IOException, InterruptedException {
        return LocalCluster.json(n.get("/actuator/health/artifacts").body()).path("details");
    }

    /** Etags of the blobs on a node's disk. */
    static Set<String> blobsOnDisk(NodeProcess n) throws IOException {
        Path blobs = n.dataDir().resolve("blobs");
        if (!Files.isDirectory(blobs)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(blobs)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    static long temporaryFiles(NodeProcess n) throws IOException {
        Path tmp = n.dataDir().resolve("blobs").resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(tmp)) {
            return s.count();
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
