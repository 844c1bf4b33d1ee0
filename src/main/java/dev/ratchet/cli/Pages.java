package dev.ratchet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Paged listings ({@code items} and {@code next}) read to the end and printed as a table or one JSON array. */
final class Pages {

    private Pages() {
    }

    /** Blocks until every page was read; prints nothing before the last page arrived. */
    static void print(Connection conn, PrintWriter out, String collection, String prefix, String nameField,
            Function<JsonNode, String> row, String header) throws IOException, InterruptedException {
        ApiClient client = conn.client();
        ArrayNode all = ApiClient.JSON.createArrayNode();
        String after = null;
        do {
            String query = "?limit=100&prefix=" + Urls.component(prefix) + (after == null ? "" : "&after=" + Urls.component(after));
            JsonNode page = client.json(ApiClient.Call.of("GET", collection + query));
            page.path("items").forEach(all::add);
            JsonNode next = page.path("next");
            after = next.isNull() || next.isMissingNode() ? null : next.asString();
        } while (after != null);
        if (conn.json()) {
            out.println(ApiClient.JSON.writeValueAsString(all));
            return;
        }
        out.println(header);
        all.forEach(item -> out.println(row.apply(item)));
    }
}
