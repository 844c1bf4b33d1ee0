package dev.ratchet.storage;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Plain helpers for storage tests: entries whose payload says what they are. */
final class StorageFixture {

    private StorageFixture() {}

    static Entry entry(long index, long term) {
        return new Entry(index, term, EntryType.COMMAND, payload(index, term));
    }

    static List<Entry> entries(long from, long toInclusive, long term) {
        List<Entry> entries = new ArrayList<>();
        for (long index = from; index <= toInclusive; index++) {
            entries.add(entry(index, term));
        }
        return entries;
    }

    static byte[] payload(long index, long term) {
        return ("entry " + index + " of term " + term).repeat(3).getBytes(StandardCharsets.UTF_8);
    }

    static FileRaftStorage open(Path dir) {
        return FileRaftStorage.open(dir, TestConfChanges.INSTANCE);
    }

    static FileRaftStorage open(Path dir, StorageOptions options) {
        return FileRaftStorage.open(dir, TestConfChanges.INSTANCE, options, new PosixFileIo());
    }

    static Path segment(Path dataDir, long sequence) {
        return dataDir.resolve("wal").resolve(Segment.fileName(sequence));
    }

    /** Byte offset of the n-th (0-based) entry record in a segment holding only the header and entries. */
    static long offsetOfEntry(WalRecord.SegmentHeader header, List<Entry> entries, int n) {
        long offset = WalCodec.frameSize(header);
        for (int i = 0; i < n; i++) {
            offset += WalCodec.frameSize(new WalRecord.EntryRecord(entries.get(i)));
        }
        return offset;
    }
}
