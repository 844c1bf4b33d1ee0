package dev.ratchet.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body without trusting its Content-Length: never more than the limit plus one byte. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * @throws PayloadTooLargeException if the body is longer than {@code limit} bytes
     * @throws BadRequestException if the body is shorter than its declared Content-Length
     */
    static byte[] read(HttpServletRequest request, long limit, String what) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new PayloadTooLargeException(what + " of " + declared + " bytes exceeds the limit of " + limit + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw new PayloadTooLargeException(what + " exceeds the limit of " + limit + " bytes");
            }
            if (declared >= 0 && body.length != declared) {
                throw new BadRequestException("body has " + body.length + " bytes but Content-Length says " + declared);
            }
            return body;
        }
    }
}
