package dev.ratchet.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Runs the JDK's {@code jcmd} against a node's JVM, if a {@code jcmd} is on the PATH. Blocks, at most 60 s. */
final class Jcmd {

    private Jcmd() {
    }

    /** Asks the JVM for a full collection ({@code GC.run}); false if jcmd is missing, failed or timed out. */
    static boolean fullGc(long pid) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
