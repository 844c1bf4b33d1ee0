package dev.ratchet.app;

import dev.ratchet.node.LogContext;
import dev.ratchet.raft.Status;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the node id, term and role ({@link LogContext}) on the request thread for the request's log lines
 * (the audit line included), from the driver's last published status: a volatile read, no Raft call.
 * Called from any request thread; never blocks.
 */
final class RequestLogContextFilter extends OncePerRequestFilter {

    private final Supplier<Status> status;

    RequestLogContextFilter(Supplier<Status> status) {
        this.status = status;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Status s = status.get();
        if (s != null) {
            LogContext.put(s.id(), s.term(), s.role());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            LogContext.clear();
        }
    }
}
