package dev.ratchet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/**
 * What every ratchetctl command that calls the API shares: its picocli spec, the {@link Connection}
 * options, and the output rule of {@code -o}: with {@code json} the server's answer as one line of JSON,
 * else the subclass's text. Subclasses say only their request and their text. Not shared across threads:
 * picocli makes one instance per run and calls it on the calling thread.
 */
abstract class ApiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    Connection conn;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Sends {@code method path} without a body and answers the body as JSON. Blocks until answered; throws
     * ProblemException for a non-2xx answer, UnreachableException when no endpoint accepted a connection.
     */
    JsonNode call(String method, String path) throws IOException, InterruptedException {
        return conn.client().json(ApiClient.Call.of(method, path));
    }

    /** Prints {@code answer} as JSON, or else {@code text} as one line; answers {@link RatchetCtl#OK}. */
    int print(JsonNode answer, String text) {
        out().println(conn.json() ? ApiClient.JSON.writeValueAsString(answer) : text);
        return RatchetCtl.OK;
    }

    /** Prints {@code answer} as JSON, or else lets {@code text} write to stdout; answers {@link RatchetCtl#OK}. */
    int print(JsonNode answer, Consumer<PrintWriter> text) {
        if (conn.json()) {
            out().println(ApiClient.JSON.writeValueAsString(answer));
        } else {
            text.accept(out());
        }
        return RatchetCtl.OK;
    }

    /** For a request that answers no body: prints {@code {"verb":"what"}}, or else {@code verb what}. */
    int printDone(String verb, String what) {
        out().println(conn.json() ? "{\"" + verb + "\":" + ApiClient.JSON.writeValueAsString(what) + "}" : verb + " " + what);
        return RatchetCtl.OK;
    }
}
