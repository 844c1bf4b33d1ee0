package dev.ratchet.admin;

import java.util.List;

/**
 * Which request paths need admin credentials: every admin API path, and every actuator path except
 * health (probes) and Prometheus (scrapers) unless those are configured protected too. Paths are compared
 * after normalisation, so {@code /actuator/health/../roots} or a doubled slash cannot sneak past.
 * Immutable and thread-safe.
 */
public final class ProtectedPaths {

    /** Prefix of the admin REST API. */
    public static final String ADMIN_API = "/api/v1/admin";

    private final String actuatorBase;
    private final List<String> open;

    /**
     * @param actuatorBase the actuator base path, e.g. {@code /actuator}
     * @param protectHealth require credentials for health too
     * @param protectPrometheus require credentials for the Prometheus scrape endpoint too
     */
    public ProtectedPaths(String actuatorBase, boolean protectHealth, boolean protectPrometheus) {
        this.actuatorBase = actuatorBase.endsWith("/") ? actuatorBase.substring(0, actuatorBase.length() - 1)
                : actuatorBase;
        List<String> o = new java.util.ArrayList<>();
        if (!protectHealth) {
            o.add(this.actuatorBase + "/health");
        }
        if (!protectPrometheus) {
            o.add(this.actuatorBase + "/prometheus");
        }
        this.open = List.copyOf(o);
    }

    /** True when {@code path} (the request URI without context path) needs admin credentials. */
    public boolean isProtected(String path) {
        String p = normalise(path);
        if (p == null) {
            return true;
        }
        if (under(p, ADMIN_API)) {
            return true;
        }
        if (!under(p, actuatorBase)) {
            return false;
        }
        for (String o : open) {
            if (under(p, o)) {
                return false;
            }
        }
        return true;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Collapses slashes, drops matrix parameters, resolves dot segments; null when it escapes the root. */
    static String normalise(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String seg : path.split("/")) {
            int semi = seg.indexOf(';');
            String s = semi >= 0 ? seg.substring(0, semi) : seg;
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.removeLast();
                continue;
            }
            out.addLast(s);
        }
        return "/" + String.join("/", out);
    }
}
