package dev.ratchet.recovery;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.HardState;
import dev.ratchet.storage.FileRaftStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * What a stopped node's data directory holds, to choose the survivor to recover from: Raft's
 * up-to-date rule (the higher last term wins; equal terms, the longer log) picks the one whose log
 * holds every entry any survivor could have had committed. Stateless; blocks on disk I/O.
 */
final class Inspection {

    /** The facts printed by {@code recovery inspect}. */
    record Facts(String raftId, long lastIndex, long lastTerm, long commit, long term, String votedFor, long snapshotIndex,
            List<String> voters, List<String> learners, List<String> members) {

        /** One {@code key=value} line per fact, stable for scripts. */
        String describe() {
            return "raft-id=" + raftId + "\nlast-index=" + lastIndex + "\nlast-term=" + lastTerm + "\ncommit=" + commit + "\nterm=" + term
                    + "\nvoted-for=" + (votedFor == null ? "" : votedFor) + "\nsnapshot-index=" + snapshotIndex
                    + "\nvoters=" + String.join(",", voters) + "\nlearners=" + String.join(",", learners)
                    + "\nmembers=" + String.join(",", members) + "\n";
        }
    }

    private Inspection() {
    }

    /** @throws RecoveryException if the directory is refused ({@link StoppedDataDirectory#open}) */
    static Facts inspect(Path dataDir) {
        try (StoppedDataDirectory dir = StoppedDataDirectory.open(dataDir)) {
            FileRaftStorage storage = dir.storage();
            HardState hard = storage.hardState();
            long last = storage.lastIndex();
            StateRebuilder.Rebuilt rebuilt = StateRebuilder.rebuild(storage, last);
            ConfState conf = rebuilt.conf();
            String raftId = dir.identity().map(i -> i.raftId()).orElse("");
            return new Facts(raftId, last, storage.term(last), hard.commit(), hard.term(), hard.votedFor(),
                    storage.snapshotMetadata().index(), List.copyOf(new TreeSet<>(conf.voters())),
                    List.copyOf(new TreeSet<>(conf.learners())),
                    List.copyOf(new TreeSet<>(rebuilt.state().members().keySet())));
        }
    }
}
