package dev.ratchet.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The RFC 9457 problem bodies of refusals made outside Spring MVC (firewall, authentication,
 * authorization, body limits, the servlet container's own errors), each with a stable {@code type} a
 * client can switch on. Stateless; thread-safe.
 */
public final class Problems {

    /** The request's spelling is ambiguous or unsafe (encoded slash or dot, {@code ;}, {@code //}, ...): 400. */
    public static final String REQUEST_REJECTED = "urn:ratchet:problem:request-rejected";
    /** No credentials were presented and anonymous access does not cover the request: 401. */
    public static final String UNAUTHENTICATED = "urn:ratchet:problem:unauthenticated";
    /** The credentials presented are not valid (unknown, revoked or wrong token): 403. */
    public static final String INVALID_CREDENTIALS = "urn:ratchet:problem:invalid-credentials";
    /** The principal is known but its grants do not cover the request: 403. */
    public static final String FORBIDDEN = "urn:ratchet:problem:forbidden";
    /** The request body is larger than the endpoint accepts: 413. */
    public static final String BODY_TOO_LARGE = "urn:ratchet:problem:body-too-large";
    /** An error the servlet container produced itself (malformed request line, ...). */
    public static final String HTTP_ERROR = "urn:ratchet:problem:http-error";

    private Problems() {
    }

    /**
     * Writes a problem body unless the response is already committed (then it only logs nothing and
     * returns: the client has a status already).
     */
    public static void write(HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json(status, type, title, detail));
        response.flushBuffer();
    }

    /** The JSON text of a problem body. */
    public static String json(int status, String type, String title, String detail) {
        return "{\"type\":\"" + escape(type) + "\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                + ",\"detail\":\"" + escape(detail) + "\"}";
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
