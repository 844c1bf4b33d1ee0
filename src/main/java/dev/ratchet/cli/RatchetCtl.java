package dev.ratchet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ratchetctl} ({@code java -jar ratchet.jar ctl ...}, or {@code bin/ratchetctl}): the REST API from
 * a shell. Exit codes (docs/cli.md): 0 done, 1 the server refused or failed the request (its problem is
 * printed on stderr) or a local file could not be read or written, 2 bad usage or a bad option value,
 * 3 no endpoint could be reached, 4 not found (404), 5 a precondition failed (412: the key changed).
 */
@Command(name = "ratchetctl", mixinStandardHelpOptions = true,
        description = "Command-line client of a Ratchet cluster's REST API.",
        subcommands = {KvCommands.class, TxnCommand.class, LeaseCommands.class, ArtifactCommands.class,
                TokenCommands.class, MemberCommands.class, StatusCommand.class, BackupCommand.class,
                RestoreCommand.class, SnapshotCommand.class, RootCommands.class, LeaderCommands.class,
                JoinTokenCommands.class})
public final class RatchetCtl extends CommandGroup {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int NOT_FOUND = 4;
    static final int PRECONDITION_FAILED = 5;

    private final Map<String, String> env;

    private RatchetCtl(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    /**
     * Runs {@code args} (what follows {@code ctl}) with {@code env} in place of the process environment.
     * Blocks until the command is done (a watch until its stream ends or {@code --count} events came);
     * never calls {@link System#exit}.
     *
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new RatchetCtl(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(message(e));
            return exitCode(e);
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Exception e) {
        if (e instanceof ProblemException p) {
            return p.describe();
        }
        return "error: " + e.getMessage();
    }

    private static int exitCode(Exception e) {
        if (e instanceof ProblemException p) {
            return switch (p.status()) {
                case 404 -> NOT_FOUND;
                case 412 -> PRECONDITION_FAILED;
                default -> FAILED;
            };
        }
        if (e instanceof ApiClient.UnreachableException) {
            return UNREACHABLE;
        }
        if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (e instanceof IOException || e instanceof InterruptedException) {
            return FAILED;
        }
        return FAILED;
    }
}
