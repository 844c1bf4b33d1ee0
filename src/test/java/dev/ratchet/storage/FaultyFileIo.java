package dev.ratchet.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real files with injected faults: after a budget of written bytes every write fails with
 * {@code No space left on device} (having written what still fit, like a full disk), and force can be
 * made to fail like an fsync error. It also keeps a journal of writes and forces per file name, so tests
 * can check the order in which data reaches the disk.
 */
final class FaultyFileIo implements FileIo {

    private final FileIo delegate = new PosixFileIo();
    private final AtomicLong bytesLeft = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean failForce;
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());

    /** From now on, at most {@code bytes} more bytes can be written. */
    void limitWrites(long bytes) {
        bytesLeft.set(bytes);
    }

    void failForce(boolean fail) {
        failForce = fail;
    }

    /** Every write and force so far, in order, as {@code "write <file name>"} or {@code "force <file name>"}. */
    List<String> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public FileChannel openReadWrite(Path file) throws IOException {
        return new FaultyChannel(delegate.openReadWrite(file), file.getFileName().toString());
    }

    @Override
    public FileChannel createNew(Path file) throws IOException {
        return new FaultyChannel(delegate.createNew(file), file.getFileName().toString());
    }

    @Override
    public FileChannel openRead(Path file) throws IOException {
        return delegate.openRead(file);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        if (failForce) {
            throw new IOException("Input/output error");
        }
        delegate.forceDirectory(dir);
    }

    @Override
    public void atomicMove(Path from, Path to) throws IOException {
        delegate.atomicMove(from, to);
    }

    @Override
    public void deleteIfExists(Path file) throws IOException {
        delegate.deleteIfExists(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    private final class FaultyChannel extends FileChannel {

        private final FileChannel channel;

        private final String name;

        FaultyChannel(FileChannel channel, String name) {
            this.channel = channel;
            this.name = name;
        }

        private ByteBuffer allowed(ByteBuffer src) throws IOException {
            journal.add("write " + name);
            long left = bytesLeft.get();
            if (left <= 0) {
                throw new IOException("No space left on device");
            }
            int allowed = (int) Math.min(left, src.remaining());
            bytesLeft.addAndGet(-allowed);
            return src.slice(src.position(), allowed);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer part = allowed(src);
            int written = channel.write(part);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            ByteBuffer part = allowed(src);
            int written = channel.write(part, position);
            src.position(src.position() + written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForce) {
                throw new IOException("Input/output error");
            }
            journal.add("force " + name);
            channel.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return channel.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            throw new IOException("transferTo is not used by storage");
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("transferFrom is not used by storage");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return channel.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
