package dev.ratchet.recovery;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ratchet recovery <command>}: offline recovery on a stopped node's data directory. Exit codes:
 * 0 done, 1 refused or failed (the message on stderr says why; nothing was changed unless it says so),
 * 2 bad usage.
 */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = "Offline recovery on a STOPPED node's data directory (no quorum needed).",
        subcommands = {RecoveryCommand.Inspect.class, RecoveryCommand.Backup.class,
                RecoveryCommand.ForceNew.class})
public final class RecoveryCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs {@code args} (what follows {@code recovery} on the command line), printing to the given
     * writers. Blocks until the command is done; never calls {@link System#exit}.
     *
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new RecoveryCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof RecoveryException) {
                line.getErr().println("refused: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Prints what a data directory holds, to pick the survivor to recover from. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print the log position, term and membership of a stopped node's data directory.")
    static final class Inspect implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data-dir", required = true, description = "the node's ratchet.data-dir")
        Path dataDir;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(Inspection.inspect(dataDir).describe());
            return 0;
        }
    }

    /** Writes a backup from a stopped node's data directory. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a backup (the format of GET /api/v1/admin/backup) from a stopped node's data directory.")
    static final class Backup implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data-dir", required = true, description = "the node's ratchet.data-dir")
        Path dataDir;

        @Option(names = "--out", required = true, description = "the backup file to create (must not exist)")
        Path out;

        @Override
        public Integer call() {
            OfflineBackup.Result r = OfflineBackup.write(dataDir, out);
            spec.commandLine().getOut().printf("wrote %s: %d bytes, applied-index=%d%n", r.file(), r.bytes(),
                    r.appliedIndex());
            return 0;
        }
    }

    /** Makes the node the only voter of its cluster. */
    @Command(name = "force-new-cluster", mixinStandardHelpOptions = true,
            description = {"Make this stopped node the only voter of its cluster, keeping its data.",
                "Use only after a majority of the voters is lost for good; never start the other old nodes",
                "with their old data afterwards."})
    static final class ForceNew implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data-dir", required = true, description = "the surviving node's ratchet.data-dir")
        Path dataDir;

        @Option(names = "--node-id", description = {"the surviving node's ratchet.node-id",
            "(default: the one in the directory's identity file)"})
        String nodeId;

        @Option(names = "--discard-uncommitted", description = {"Cut the log at the commit index this node knew",
            "(etcd's behaviour) instead of keeping every entry it has (the default)."})
        boolean discardUncommitted;

        @Override
        public Integer call() {
            ForceNewCluster.Result r = ForceNewCluster.run(dataDir, nodeId, discardUncommitted);
            PrintWriter out = spec.commandLine().getOut();
            if (!r.changed()) {
                out.printf("%s is already the only voter and member in %s: nothing to do (last-index=%d)%n",
                        r.raftId(), dataDir, r.lastIndex());
                return 0;
            }
            out.printf("kept the log through index %d (this node knew %d as committed; %d uncommitted entries %s)%n",
                    r.keptThrough(), r.previousCommit(),
                    discardUncommitted ? r.discarded() : Math.max(0, r.keptThrough() - r.previousCommit()),
                    discardUncommitted ? "discarded" : "kept and now committed");
            out.printf("removed voters/learners %s and members %s in term %d; %s is now the only voter (last-index=%d)%n",
                    r.removedVoters(), r.removedMembers(), r.term(), r.raftId(), r.lastIndex());
            out.println("next: start this node with its usual settings, then join new nodes to it with the join token");
            return 0;
        }
    }
}
