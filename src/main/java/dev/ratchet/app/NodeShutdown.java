package dev.ratchet.app;

import dev.ratchet.node.NodeSettings;
import dev.ratchet.node.RatchetNode;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the node gracefully when the application stops (SIGTERM in a pod): a leader first hands its
 * leadership to the most caught-up voter so the cluster does not wait out an election timeout, then the
 * driver, transport and storage close. Runs after the web server stopped taking requests.
 */
class NodeShutdown implements SmartLifecycle {

    private final RatchetNode node;
    private final NodeSettings settings;
    private volatile boolean running;

    NodeShutdown(RatchetNode node, NodeSettings settings) {
        this.node = node;
        this.settings = settings;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        Duration wait = settings.heartbeatInterval().multipliedBy(settings.electionTicks() * 2L);
        node.handOverLeadership(wait);
        node.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Lower than the web server's graceful-shutdown phase, so it stops after the server drained.
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
