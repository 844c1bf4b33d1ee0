package dev.ratchet.artifacts;

import dev.ratchet.state.ArtifactRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * An artifact opened for reading: its index record and an open channel on its verified local blob. The
 * caller closes it. The channel stays readable even if the blob is collected meanwhile (POSIX unlink).
 */
public record StoredArtifact(ArtifactRecord record, FileChannel channel) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
