package dev.ratchet.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Keys, paths and query values as they go into a request URI. */
final class Urls {

    private Urls() {
    }

    /** Percent-encodes each segment of a slash-separated key, keeping the slashes. */
    static String path(String key) {
        StringJoiner j = new StringJoiner("/");
        for (String segment : key.split("/", -1)) {
            j.add(component(segment));
        }
        return j.toString();
    }

    /** One URI component (a space is %20, never +). */
    static String component(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
