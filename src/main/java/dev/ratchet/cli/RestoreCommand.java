package dev.ratchet.cli;

import dev.ratchet.state.BackupImages;
import dev.ratchet.state.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ratchetctl restore FILE}: a restore is not a request to a running node (docs/operations.md,
 * "Backup and restore"): a new cluster is founded by starting its first node on an empty data directory
 * with {@code ratchet.bootstrap=true} and {@code ratchet.admin.restore-from=FILE}. This command checks FILE
 * offline with the same decoder the node uses (so a bad file is found before anyone starts a node) and
 * prints that start command. It sends nothing. Blocks while reading FILE; picocli calls it on one thread.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Check a backup file offline and print how to found a new cluster from it (sends nothing).")
final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "a file written by 'ratchetctl backup' or 'ratchet recovery backup'")
    Path file;
    @Option(names = "--data-dir", defaultValue = "/var/lib/ratchet", paramLabel = "DIR",
            description = "the new node's data directory, shown in the command (default: ${DEFAULT-VALUE}); it must be empty")
    Path dataDir;
    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (for people) or json (for scripts)")
    Connection.Output output;

    @Override
    public Integer call() throws IOException {
        Path backup = file.toAbsolutePath();
        byte[] image;
        try {
            image = Files.readAllBytes(backup);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + backup, e);
        }
        long index;
        try {
            index = BackupImages.appliedIndex(image);
        } catch (MalformedDataException e) {
            throw new IOException(backup + " is not a Ratchet backup: " + e.getMessage(), e);
        }
        Path dir = dataDir.toAbsolutePath();
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    // The node ignores restore-from over existing data: printing the command would mislead.
                    throw new IOException(dir + " is not empty: a node started there would ignore the backup;"
                            + " give --data-dir an empty or new directory");
                }
            }
        }
        String command = "java -jar ratchet.jar --ratchet.bootstrap=true --ratchet.admin.restore-from=" + backup
                + " --ratchet.data-dir=" + dir;
        var out = spec.commandLine().getOut();
        if (output == Connection.Output.json) {
            var node = ApiClient.JSON.createObjectNode().put("file", backup.toString()).put("bytes", image.length)
                    .put("appliedIndex", index).put("command", command);
            out.println(ApiClient.JSON.writeValueAsString(node));
        } else {
            out.println(backup + ": a Ratchet backup at applied index " + index + " (" + image.length + " bytes)");
            out.println("Found a new cluster from it: start its first node on an EMPTY data directory with");
            out.println("  " + command);
            out.println("(plus the node's usual settings), then join the other nodes as usual; remove the");
            out.println("restore-from setting after the first start. See docs/operations.md, \"Backup and restore\".");
        }
        return RatchetCtl.OK;
    }
}
