package dev.ratchet.raft;

/** An unrecoverable storage failure (I/O error, corruption, disk full). The node must stop writing. */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
