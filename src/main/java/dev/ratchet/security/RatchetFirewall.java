package dev.ratchet.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's {@link StrictHttpFirewall} (it refuses encoded slashes, backslashes, periods and
 * percent signs, {@code ;}, {@code //}, dot segments, NUL and non-printable characters) plus one rule of
 * our own: no percent-encoded <em>unreserved</em> character ({@code A-Z a-z 0-9 - . _}; {@code ~} is
 * let through because common encoders write it as {@code %7E}). RFC 3986
 * section 2.3 says such encodings are equivalent to the plain character and should never be produced;
 * a client that sends {@code /%61ctuator} is probing for a matcher that compares the raw spelling. The
 * authorization rules match the decoded path anyway, so this rule is defence in depth, not the defence.
 * Immutable and thread-safe.
 */
public final class RatchetFirewall implements HttpFirewall {

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) throws RequestRejectedException {
        String uri = request.getRequestURI();
        String unreserved = encodedUnreserved(uri);
        if (unreserved != null) {
            throw new RequestRejectedException("the request path percent-encodes the unreserved character '"
                    + unreserved + "'; send it unencoded");
        }
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }

    /** The first unreserved character that {@code uri} percent-encodes, or null when there is none. */
    static String encodedUnreserved(String uri) {
        if (uri == null) {
            return null;
        }
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            int hi = Character.digit(uri.charAt(i + 1), 16);
            int lo = Character.digit(uri.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                continue;
            }
            char c = (char) (hi * 16 + lo);
            // '~' stays allowed encoded: java.net.URLEncoder (and Python before 3.7) write it as %7E.
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_') {
                return String.valueOf(c);
            }
        }
        return null;
    }
}
