package dev.ratchet.artifacts;

import dev.ratchet.state.Etags;
import dev.ratchet.transport.ChunkSink;
import dev.ratchet.transport.StreamHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers {@code FETCH_BLOB} requests from peers: the payload is an etag, the response the blob's bytes
 * as chunks. At most {@code maxConcurrent} streams are served at once, because stream handlers share the
 * transport's small handler pool with Raft forwarding; a busy or blob-less node answers with an error and
 * the fetcher tries another peer.
 *
 * <p>Thread-safety: called on transport handler threads, concurrently. Blocks in {@link ChunkSink#send}.
 */
public final class BlobServer implements StreamHandler {

    private final BlobStore store;
    private final EtagIndex index;
    private final Semaphore slots;
    private final int chunkBytes;
    final LongAdder bytesServed = new LongAdder();

    public BlobServer(BlobStore store, EtagIndex index, int maxConcurrent, int chunkBytes) {
        this.store = store;
        this.index = index;
        this.slots = new Semaphore(maxConcurrent);
        this.chunkBytes = chunkBytes;
    }

    @Override
    public void handle(String peerId, byte[] payload, ChunkSink sink) throws Exception {
        String etag = new String(payload, StandardCharsets.US_ASCII);
        if (!Etags.isSha256Hex(etag)) {
            throw new IllegalArgumentException("FETCH_BLOB payload is not a SHA-256 etag");
        }
        if (!index.isLocal(etag)) {
            throw new IOException("blob " + etag + " is not held here");
        }
        if (!slots.tryAcquire()) {
            throw new IOException("busy serving other blobs");
        }
        try (FileChannel in = store.open(etag)) {
            int size = Math.min(chunkBytes, sink.maxChunkBytes());
            while (true) {
                ByteBuffer buffer = ByteBuffer.allocate(size);
                while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                    // fill the chunk
                }
                if (buffer.position() == 0) {
                    return;
                }
                byte[] chunk = buffer.position() == size ? buffer.array()
                        : java.util.Arrays.copyOf(buffer.array(), buffer.position());
                sink.send(chunk);
                bytesServed.add(chunk.length);
                if (buffer.position() < size) {
                    return;
                }
            }
        } finally {
            slots.release();
        }
    }
}
