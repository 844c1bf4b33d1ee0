package dev.ratchet.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of every POST (the join and the admin requests, all small JSON) before anything parses
 * it: a declared {@code Content-Length} above the limit is refused with 413 without reading a byte (Tomcat
 * then closes the connection rather than swallow more than its own small allowance); a body without a
 * length (chunked) is read up to one byte past the limit and refused the same way. A body within the
 * limit is held in memory (at most the limit) and handed on. Key/value and artifact uploads (PUT) have
 * their own limits and stream. Thread-safe.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    /** The largest join request body: a join request is a few hundred bytes. */
    public static final int MAX_JOIN_BODY = 8 * 1024;

    private static final RequestMatcher JOIN = PathPatternRequestMatcher.withDefaults()
            .matcher(HttpMethod.POST, "/api/v1/cluster/join/**");

    private final int maxOtherBody;

    /** @param maxOtherBody the limit for every POST other than a join */
    public BodyLimitFilter(int maxOtherBody) {
        this.maxOtherBody = maxOtherBody;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        int limit = JOIN.matches(request) ? MAX_JOIN_BODY : maxOtherBody;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(response, limit, declared + " bytes declared");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(limit + 1);
        }
        if (body.length > limit) {
            refuse(response, limit, "more than " + limit + " bytes sent");
            return;
        }
        chain.doFilter(new HeldBody(request, body), response);
    }

    private static void refuse(HttpServletResponse response, int limit, String what) throws IOException {
        // Say the connection ends here: the rest of the body is not going to be read.
        response.setHeader("Connection", "close");
        Problems.write(response, 413, Problems.BODY_TOO_LARGE, "Body too large",
                "the request body is limited to " + limit + " bytes for this endpoint (" + what + ")");
    }

    /** A request whose body was read already. */
    private static final class HeldBody extends HttpServletRequestWrapper {
        private final byte[] body;

        HeldBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already; no asynchronous reads");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
