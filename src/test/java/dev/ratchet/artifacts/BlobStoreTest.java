package dev.ratchet.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

    @TempDir
    Path dir;

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void stagedContentIsNamedBySha256AndPublishedPrivately() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] body = "hello artifacts".getBytes(StandardCharsets.UTF_8);
        BlobStore.Staged staged = store.stage(new ByteArrayInputStream(body), body.length, 1000);
        assertThat(staged.etag()).isEqualTo(sha(body));
        assertThat(staged.size()).isEqualTo(body.length);
        store.publish(staged);
        Path blob = dir.resolve("blobs").resolve(staged.etag().substring(0, 2)).resolve(staged.etag());
        assertThat(blob).hasBinaryContent(body);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("blobs")))).isEqualTo("rwx------");
        assertThat(store.temporaryFiles()).isZero();
        assertThat(store.scan()).extracting(BlobStore.Staged::etag).containsExactly(staged.etag());
        try (FileChannel ch = store.open(staged.etag())) {
            ByteBuffer buf = ByteBuffer.allocate(body.length);
            ch.read(buf);
            assertThat(buf.array()).isEqualTo(body);
        }
    }

    @Test
    void lengthMismatchTooLargeAndAbortedBodiesLeaveNothing() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] body = new byte[5000];
        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(body), 6000, 10_000))
                .isInstanceOf(BlobStore.LengthMismatchException.class).hasMessageContaining("5000");
        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(body), 4000, 10_000))
                .isInstanceOf(BlobStore.LengthMismatchException.class);
        assertThatThrownBy(() -> store.stage(new ByteArrayInputStream(body), -1, 4999))
                .isInstanceOf(BlobStore.BlobTooLargeException.class);
        InputStream aborted = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 3000) {
                    throw new IOException("client went away");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> store.stage(aborted, 5000, 10_000)).hasMessageContaining("client went away");
        assertThat(store.temporaryFiles()).isZero();
        assertThat(store.scan()).isEmpty();
    }

    @Test
    void receivedBytesMustMatchTheEtagAndSize() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] body = "expected".getBytes(StandardCharsets.UTF_8);
        try (BlobStore.Receiver r = store.receive(body.length)) {
            r.write("expectee".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> r.finish(sha(body), body.length)).hasMessageContaining("SHA-256");
        }
        try (BlobStore.Receiver r = store.receive(body.length)) {
            assertThatThrownBy(() -> r.write(new byte[body.length + 1])).hasMessageContaining("more than");
        }
        try (BlobStore.Receiver r = store.receive(body.length)) {
            r.write(body);
            store.publish(r.finish(sha(body), body.length));
        }
        assertThat(store.temporaryFiles()).isZero();
        assertThat(store.scan()).hasSize(1);
    }

    @Test
    void symbolicLinksAreNeverFollowed() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not a blob");
        String etag = sha("whatever".getBytes());
        Path shard = Files.createDirectories(dir.resolve("blobs").resolve(etag.substring(0, 2)));
        Files.createSymbolicLink(shard.resolve(etag), secret);
        assertThatThrownBy(() -> store.open(etag)).isInstanceOf(NoSuchFileException.class);
        assertThat(store.scan()).isEmpty();

        Path real = Files.createDirectories(dir.resolve("elsewhere"));
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked"), real);
        assertThatThrownBy(() -> new BlobStore(linkedRoot)).hasMessageContaining("symbolic link");
    }

    @Test
    void leftoverTemporaryFilesAreRemovedOnOpen() throws Exception {
        new BlobStore(dir.resolve("blobs"));
        Files.writeString(dir.resolve("blobs").resolve("tmp").resolve("crashed.part"), "half an upload");
        BlobStore reopened = new BlobStore(dir.resolve("blobs"));
        assertThat(reopened.temporaryFiles()).isZero();
    }

    @Test
    void publishingContentThatIsAlreadyThereKeepsOneCopy() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("blobs"));
        byte[] body = "twice".getBytes(StandardCharsets.UTF_8);
        store.publish(store.stage(new ByteArrayInputStream(body), -1, 100));
        store.publish(store.stage(new ByteArrayInputStream(body), -1, 100));
        assertThat(store.scan()).hasSize(1);
        assertThat(store.temporaryFiles()).isZero();
    }
}
