package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HandshakeWarningsTest {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HandshakeWarnings.class);
    private final AtomicLong now = new AtomicLong(1_000);
    private final HandshakeWarnings warnings = new HandshakeWarnings("outbound", now::get);

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    private List<String> warns() {
        return captured.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void oneWarningPerPeerPerMinuteWithTheCountLeftOut() {
        warnings.failed("node-2 at 10.0.0.2:7000", "UNKNOWN_CA");
        warnings.failed("node-2 at 10.0.0.2:7000", "UNKNOWN_CA");
        warnings.failed("node-2 at 10.0.0.2:7000", "UNKNOWN_CA");
        warnings.failed("node-3 at 10.0.0.3:7000", "EXPIRED");
        assertThat(warns()).hasSize(2);
        assertThat(warns().get(0)).isEqualTo("outbound peer handshake with node-2 at 10.0.0.2:7000 failed: UNKNOWN_CA"
                + " (further failures with it are logged once a minute)");
        assertThat(warns().get(1)).startsWith("outbound peer handshake with node-3");

        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        warnings.failed("node-2 at 10.0.0.2:7000", "UNKNOWN_CA");
        assertThat(warns()).hasSize(2);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        warnings.failed("node-2 at 10.0.0.2:7000", "UNKNOWN_CA");
        assertThat(warns()).hasSize(3);
        assertThat(warns().get(2)).contains("(3 more failures with node-2 at 10.0.0.2:7000 in the last minute were not logged)");
    }

    @Test
    void manyPeersShareOneEntryPastTheLimit() {
        for (int i = 0; i < HandshakeWarnings.MAX_PEERS; i++) {
            warnings.failed("10.0.0." + i, "closed");
        }
        assertThat(warns()).hasSize(HandshakeWarnings.MAX_PEERS);
        warnings.failed("10.1.0.1", "closed");
        warnings.failed("10.1.0.2", "closed");
        warnings.failed("10.1.0.3", "closed");
        // The first stranger is logged; the others count against the shared entry.
        assertThat(warns()).hasSize(HandshakeWarnings.MAX_PEERS + 1);
        now.addAndGet(TimeUnit.MINUTES.toNanos(1));
        warnings.failed("10.1.0.4", "closed");
        assertThat(warns()).hasSize(HandshakeWarnings.MAX_PEERS + 2);
    }
}
