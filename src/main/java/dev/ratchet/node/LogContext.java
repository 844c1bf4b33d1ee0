package dev.ratchet.node;

import dev.ratchet.raft.Role;
import org.slf4j.MDC;

/**
 * The MDC keys every log line of a node's Raft driver and request threads carries: {@code node} (the
 * node id), {@code term} and {@code role} (as the driver last saw them). The plain pattern prints them
 * in brackets; JSON (ECS) logs carry them as fields. MDC is per thread: each method acts on the calling
 * thread only and never blocks.
 */
public final class LogContext {

    public static final String NODE = "node";
    public static final String TERM = "term";
    public static final String ROLE = "role";

    private LogContext() {
    }

    /** Sets all three keys on the calling thread. */
    public static void put(String node, long term, Role role) {
        MDC.put(NODE, node);
        MDC.put(TERM, Long.toString(term));
        MDC.put(ROLE, role.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Removes the keys from the calling thread (pooled request threads serve other requests next). */
    public static void clear() {
        MDC.remove(NODE);
        MDC.remove(TERM);
        MDC.remove(ROLE);
    }
}
