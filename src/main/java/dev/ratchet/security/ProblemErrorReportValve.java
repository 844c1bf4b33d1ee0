package dev.ratchet.security;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's last-resort error page as problem+json instead of HTML: it answers the errors Tomcat makes
 * before a request reaches the application (a NUL or a malformed escape in the path, an invalid request
 * line) and any error status nothing else gave a body. No stack trace, no server version. Thread-safe
 * (stateless beyond Tomcat's valve wiring).
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same guards as Tomcat's own report: only errors, only once, never over a body already written.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String reason = reason(status);
        String body = Problems.json(status, Problems.HTTP_ERROR, reason,
                status == 400 ? "the request is malformed (request line, path encoding or headers)"
                        : "the server could not handle the request (" + reason + ")");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or the response cannot take a body: nothing more to say.
        }
    }

    private static String reason(int status) {
        String phrase = StringManager.getManager(ErrorReportValve.class).getString("http." + status + ".reason");
        return phrase == null || phrase.startsWith("http.") ? "HTTP " + status : phrase;
    }
}
