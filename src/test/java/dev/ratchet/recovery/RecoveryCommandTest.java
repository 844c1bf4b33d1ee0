package dev.ratchet.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.join.IdentityFile;
import dev.ratchet.join.Incarnation;
import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.state.BackupImages;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.Member;
import dev.ratchet.state.Proposal;
import dev.ratchet.storage.FileRaftStorage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline recovery commands on data directories written through the real storage: a follower of a
 * 3-voter cluster whose last entries are not known committed, as a node leaves it when it stops.
 */
class RecoveryCommandTest {

    @TempDir
    Path tmp;
    Path dataDir;

    /** Commands of the data directory, in log order from index 4 (after 3 bootstrap conf entries). */
    final List<Command> commands = new ArrayList<>();

    @BeforeEach
    void writeFollowerDirectory() {
        dataDir = tmp.resolve("n2-data");
        for (String id : List.of("n1", "n2", "n3")) {
            commands.add(new Command.SetMember(new Member(id, "127.0.0.1:700" + id.charAt(1),
                    "http://127.0.0.1:808" + id.charAt(1))));
        }
        for (int i = 0; i < 10; i++) {
            commands.add(new Command.PutKey("docs/key-" + i, ("value " + i).getBytes(StandardCharsets.UTF_8), null, false));
        }
        try (FileRaftStorage storage = openStorage()) {
            RaftCore.bootstrap(storage, List.of("n1", "n2", "n3"));
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                entries.add(new Entry(4 + i, 2, EntryType.COMMAND,
                        CommandCodec.encode(new Proposal("n1", i + 1, commands.get(i)))));
            }
            storage.append(entries);
            // Knows the log through index 16 but only index 13 committed: the last 3 puts are not known committed.
            storage.setHardState(new HardState(2, "n1", 13));
            storage.sync();
        }
    }

    private FileRaftStorage openStorage() {
        return FileRaftStorage.open(dataDir.resolve("raft"), (base, e) -> ConfChange.applyEntry(base, e.data()));
    }

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(String... args) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            code = RecoveryCommand.execute(args, new PrintWriter(o), new PrintWriter(e));
            out = o.toString();
            err = e.toString();
        }
    }

    /** The state a node gets by applying the first {@code count} commands, the way the driver applies them. */
    private byte[] expectedImage(int count, List<Command> extra, long extraFrom) {
        ClusterState state = new ClusterState();
        for (long i = 1; i <= 3; i++) {
            state.advanceTo(i);
        }
        for (int i = 0; i < count; i++) {
            state.apply(4 + i, commands.get(i));
        }
        long index = extraFrom;
        for (Command c : extra) {
            state.apply(index++, c);
        }
        return BackupImages.of(state);
    }

    @Test
    void offlineBackupHoldsWhatTheNodeKnewCommittedInTheOnlineFormat() throws Exception {
        Path out = tmp.resolve("backup.bin");
        Run run = new Run("backup", "--data-dir", dataDir.toString(), "--out", out.toString());
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("applied-index=13");
        // Byte for byte the image the online backup of the same state gives (commands 1..10 = index 4..13).
        assertThat(Files.readAllBytes(out)).isEqualTo(expectedImage(10, List.of(), 0));
    }

    @Test
    void backupRefusesToOverwriteAFile() throws Exception {
        Path out = tmp.resolve("exists.bin");
        Files.writeString(out, "keep me");
        Run run = new Run("backup", "--data-dir", dataDir.toString(), "--out", out.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("exists already");
        assertThat(Files.readString(out)).isEqualTo("keep me");
    }

    @Test
    void refusesAMissingAnEmptyAndAWipedDirectoryWithoutCreatingAnything() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path missing = tmp.resolve("missing");
        for (String[] args : List.of(new String[] {"force-new-cluster", "--node-id", "n2", "--data-dir", empty.toString()},
                new String[] {"backup", "--data-dir", empty.toString(), "--out", tmp.resolve("b1").toString()},
                new String[] {"inspect", "--data-dir", missing.toString()})) {
            Run run = new Run(args);
            assertThat(run.code).as(String.join(" ", args)).isEqualTo(1);
            assertThat(run.err).startsWith("refused: ");
        }
        assertThat(empty).isEmptyDirectory();
        assertThat(missing).doesNotExist();
        assertThat(tmp.resolve("b1")).doesNotExist();

        // A log that exists but holds nothing (a node that opened its storage and stopped at once).
        Path blank = tmp.resolve("blank");
        FileRaftStorage.open(blank.resolve("raft"), (base, e) -> base).close();
        Run run = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", blank.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("is empty");
    }

    @Test
    void refusesADirectoryWhoseLogIsCorruptAndLeavesItAsItWas() throws Exception {
        Path segment;
        try (var files = Files.list(dataDir.resolve("raft").resolve("wal"))) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("wal-")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        for (int i = 0; i < 64; i++) {
            bytes[i] ^= (byte) 0x5a;
        }
        Files.write(segment, bytes);
        Run run = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).startsWith("refused: cannot read the Raft log in");
        assertThat(Files.readAllBytes(segment)).isEqualTo(bytes);
    }

    @Test
    void refusesADirectoryARunningNodeHolds() {
        try (FileRaftStorage running = openStorage()) {
            Run run = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString());
            assertThat(run.code).isEqualTo(1);
            assertThat(run.err).contains("locked by a running node");
            assertThat(running.lastIndex()).isEqualTo(16);
        }
    }

    @Test
    void refusesANodeIdThatIsNotAVoterThereAndWritesNothing() {
        Run run = new Run("force-new-cluster", "--node-id", "n9", "--data-dir", dataDir.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("'n9' is not a voter", "[n1, n2, n3]");
        try (FileRaftStorage storage = openStorage()) {
            assertThat(storage.lastIndex()).isEqualTo(16);
            assertThat(storage.hardState()).isEqualTo(new HardState(2, "n1", 13));
        }
    }

    @Test
    void forceNewClusterKeepsTheWholeLogAndMakesTheNodeTheOnlyVoterAndMember() throws Exception {
        Run run = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString());
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("3 uncommitted entries kept", "removed voters/learners [n1, n3] and members [n1, n3]");
        try (FileRaftStorage storage = openStorage()) {
            assertThat(storage.confState().voters()).isEqualTo(Set.of("n2"));
            assertThat(storage.confState().learners()).isEmpty();
            // 16 kept + 2 conf removals + 2 member removals, all declared committed, in a new term.
            assertThat(storage.lastIndex()).isEqualTo(20);
            assertThat(storage.hardState()).isEqualTo(new HardState(3, "n2", 20));
            assertThat(storage.term(16)).isEqualTo(2);
            assertThat(storage.term(17)).isEqualTo(3);
        }
        // Every entry survives, the uncommitted tail included, and only n2 is left as member.
        Path out = tmp.resolve("after.bin");
        assertThat(new Run("backup", "--data-dir", dataDir.toString(), "--out", out.toString()).code).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(expectedImage(13,
                List.of(new Command.RemoveMember("n1"), new Command.RemoveMember("n3")), 19));
        assertThat(new Run("inspect", "--data-dir", dataDir.toString()).out)
                .contains("voters=n2\n", "members=n2\n", "commit=20\n");
    }

    @Test
    void runningItTwiceChangesNothingTheSecondTime() throws Exception {
        assertThat(new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString()).code).isZero();
        Path first = tmp.resolve("first.bin");
        assertThat(new Run("backup", "--data-dir", dataDir.toString(), "--out", first.toString()).code).isZero();

        Run again = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString());
        assertThat(again.code).as(again.err).isZero();
        assertThat(again.out).contains("nothing to do");
        Path second = tmp.resolve("second.bin");
        assertThat(new Run("backup", "--data-dir", dataDir.toString(), "--out", second.toString()).code).isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        try (FileRaftStorage storage = openStorage()) {
            assertThat(storage.hardState()).isEqualTo(new HardState(3, "n2", 20));
        }
    }

    @Test
    void discardUncommittedCutsTheLogAtTheCommitIndexLikeEtcd() throws Exception {
        Run run = new Run("force-new-cluster", "--node-id", "n2", "--data-dir", dataDir.toString(),
                "--discard-uncommitted");
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("3 uncommitted entries discarded");
        try (FileRaftStorage storage = openStorage()) {
            assertThat(storage.lastIndex()).isEqualTo(17);
            assertThat(storage.hardState()).isEqualTo(new HardState(3, "n2", 17));
        }
        Path out = tmp.resolve("cut.bin");
        assertThat(new Run("backup", "--data-dir", dataDir.toString(), "--out", out.toString()).code).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(expectedImage(10,
                List.of(new Command.RemoveMember("n1"), new Command.RemoveMember("n3")), 16));
    }

    @Test
    void withIncarnationsItKeepsThisIncarnationAndRemovesEveryOtherOneOfTheSameNodeId() throws Exception {
        Path dir = tmp.resolve("incarnations");
        new IdentityFile(dir.resolve("identity")).write(new Incarnation(null, "n2", "0000000000000002"));
        String self = "n2~0000000000000002";
        try (FileRaftStorage storage = FileRaftStorage.open(dir.resolve("raft"),
                (base, e) -> ConfChange.applyEntry(base, e.data()))) {
            // An older incarnation of n2 is still a learner next to the current one (replacement under way).
            RaftCore.bootstrap(storage, List.of("n1~0000000000000001", self, "n3~0000000000000003"));
            storage.append(List.of(new Entry(4, 1, EntryType.CONF_CHANGE,
                    new ConfChange(ConfChange.Type.ADD_LEARNER, "n2~00000000000000aa").encode())));
            storage.setHardState(new HardState(1, null, 4));
            storage.sync();
        }
        Run wrongNode = new Run("force-new-cluster", "--node-id", "n3", "--data-dir", dir.toString());
        assertThat(wrongNode.code).isEqualTo(1);
        assertThat(wrongNode.err).contains("belongs to node 'n2'");

        Run run = new Run("force-new-cluster", "--data-dir", dir.toString());
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("[n1~0000000000000001, n3~0000000000000003, n2~00000000000000aa]");
        try (FileRaftStorage storage = FileRaftStorage.open(dir.resolve("raft"),
                (base, e) -> ConfChange.applyEntry(base, e.data()))) {
            assertThat(storage.confState().voters()).containsExactly(self);
            assertThat(storage.confState().learners()).isEmpty();
            assertThat(storage.hardState().votedFor()).isEqualTo(self);
        }
        assertThat(new Run("inspect", "--data-dir", dir.toString()).out).contains("raft-id=" + self + "\n");
    }

    @Test
    void inspectShowsWhatPicksTheMostUpToDateSurvivor() {
        Run run = new Run("inspect", "--data-dir", dataDir.toString());
        assertThat(run.code).as(run.err).isZero();
        assertThat(run.out).contains("last-index=16\n", "last-term=2\n", "commit=13\n", "voters=n1,n2,n3\n");
    }

    @Test
    void noSubcommandPrintsUsageAndBadOptionsAreUsageErrors() {
        Run bare = new Run();
        assertThat(bare.code).isEqualTo(2);
        assertThat(bare.err).contains("force-new-cluster", "backup", "inspect");
        assertThat(new Run("backup", "--data-dir", dataDir.toString()).code).isEqualTo(2);
    }
}
