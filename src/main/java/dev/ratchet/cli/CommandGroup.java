package dev.ratchet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A ratchetctl command that only groups subcommands ({@code kv}, {@code lease}, ...): run without one, it
 * prints its usage on stderr and exits with {@link RatchetCtl#USAGE}. Never blocks or throws; picocli makes
 * one instance per run and calls it on the calling thread.
 */
abstract class CommandGroup implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return RatchetCtl.USAGE;
    }
}
