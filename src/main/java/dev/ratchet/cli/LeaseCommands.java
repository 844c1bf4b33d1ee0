package dev.ratchet.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ratchetctl lease grant|keepalive|revoke|list}. */
@Command(name = "lease", mixinStandardHelpOptions = true, description = "Leases: grant, keepalive, revoke, list.",
        subcommands = {LeaseCommands.Grant.class, LeaseCommands.KeepAlive.class, LeaseCommands.Revoke.class,
                LeaseCommands.ListLeases.class})
final class LeaseCommands extends CommandGroup {

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grant a lease; prints its id.")
    static final class Grant extends ApiCommand {
        @Parameters(paramLabel = "TTL", description = "such as 10s")
        String ttl;

        @Override
        public Integer call() throws Exception {
            Durations.parse("TTL", ttl);
            JsonNode r = conn.client().json(ApiClient.Call.json("POST", "/api/v1/leases",
                    "{\"ttl\":" + ApiClient.JSON.writeValueAsString(ttl) + "}"));
            return print(r, "lease " + r.path("id").asLong() + " granted with TTL " + r.path("ttl").asString());
        }
    }

    /**
     * Keeps a lease alive: once, or with {@code --every} until {@code --count} keep-alives were sent (0:
     * until interrupted). Blocks between keep-alives.
     */
    @Command(name = "keepalive", mixinStandardHelpOptions = true, description = "Restart a lease's countdown.")
    static final class KeepAlive extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;
        @Option(names = "--every", paramLabel = "DURATION", description = "repeat at this interval (default: once)")
        String every;
        @Option(names = "--count", paramLabel = "N", description = "with --every: stop after N keep-alives (0: never)")
        long count;

        @Override
        public Integer call() throws Exception {
            ApiClient client = conn.client();
            Duration interval = every == null ? null : Durations.parse("--every", every);
            for (long sent = 0; ; ) {
                JsonNode r = client.json(ApiClient.Call.of("POST", "/api/v1/leases/" + id + "/keepalive"));
                sent++;
                print(r, "lease " + id + " kept alive, TTL " + r.path("ttl").asString());
                out().flush();
                if (interval == null || (count > 0 && sent >= count)) {
                    return RatchetCtl.OK;
                }
                TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a lease, deleting its keys.")
    static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("DELETE", "/api/v1/leases/" + id);
            return print(r, "lease " + id + " revoked, " + r.path("deleted").asInt() + " key(s) deleted");
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List the leases.")
    static final class ListLeases extends ApiCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode r = call("GET", "/api/v1/leases");
            return print(r, out -> {
                out.printf("%-20s %10s %12s  %s%n", "ID", "TTL_MS", "REMAINING_MS", "KEYS");
                for (JsonNode l : r) {
                    out.printf("%-20d %10d %12d  %s%n", l.path("id").asLong(), l.path("ttlMillis").asLong(),
                            l.path("remainingMillis").asLong(), l.path("keys").size());
                }
            });
        }
    }
}
