package dev.ratchet.cli;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** The server answered with an error: its status and, for problem+json, the problem's fields. */
final class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;

    private ProblemException(int status, String type, String title, String detail) {
        super(status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    /** Reads a problem+json body, or keeps the first line of any other body as the detail. */
    static ProblemException of(int status, String contentType, byte[] body) {
        if (contentType.contains("json") && body.length > 0) {
            try {
                JsonNode p = ApiClient.JSON.readTree(body);
                return new ProblemException(status, p.path("type").asString(""), p.path("title").asString("HTTP " + status),
                        p.path("detail").asString(""));
            } catch (RuntimeException notJson) {
                // fall through: report the raw body
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        return new ProblemException(status, "", "HTTP " + status, nl < 0 ? text : text.substring(0, nl));
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    /** The line printed on stderr: status, title, type and detail. */
    String describe() {
        StringBuilder b = new StringBuilder("error: ").append(status).append(' ').append(title);
        if (!type.isEmpty()) {
            b.append(" (").append(type).append(')');
        }
        if (detail != null && !detail.isBlank()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }
}
