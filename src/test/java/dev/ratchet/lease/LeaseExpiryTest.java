package dev.ratchet.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.state.Lease;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Expiry decisions on fake time: never before the TTL, restarted by keep-alives and by a new leader. */
class LeaseExpiryTest {

    private static final long MS = 1_000_000L;
    private final LeaseExpiry expiry = new LeaseExpiry(500 * MS);

    @Test
    void aLeaseIsDueAtItsTtlAndNotOneTickBefore() {
        expiry.leadership(true, 0);
        expiry.started(7, 10_000, 1_000 * MS);
        assertThat(expiry.due(10_999 * MS)).isEmpty();
        assertThat(expiry.due(11_000 * MS)).containsExactly(7L);
    }

    @Test
    void aKeepAliveRestartsTheCountdown() {
        expiry.leadership(true, 0);
        expiry.started(7, 10_000, 0);
        expiry.started(7, 10_000, 8_000 * MS);
        assertThat(expiry.due(17_999 * MS)).isEmpty();
        assertThat(expiry.due(18_000 * MS)).containsExactly(7L);
    }

    @Test
    void onlyTheLeaderReportsDueLeases() {
        expiry.started(7, 1_000, 0);
        assertThat(expiry.due(60_000 * MS)).as("a follower never expires").isEmpty();
    }

    @Test
    void aNewLeaderRestartsEveryCountdownWithTheFullTtl() {
        expiry.started(7, 10_000, 0);
        expiry.started(8, 3_000, 0);
        // This node becomes leader 9 s in: the old leader's countdowns are not trusted.
        expiry.leadership(true, 9_000 * MS);
        assertThat(expiry.due(11_999 * MS)).isEmpty();
        assertThat(expiry.due(12_000 * MS)).containsExactly(8L);
        expiry.ended(8);
        assertThat(expiry.due(18_999 * MS)).isEmpty();
        assertThat(expiry.due(19_000 * MS)).containsExactly(7L);
    }

    @Test
    void losingAndRegainingLeadershipRestartsAgain() {
        expiry.leadership(true, 0);
        expiry.started(7, 10_000, 0);
        expiry.leadership(false, 5_000 * MS);
        assertThat(expiry.due(12_000 * MS)).isEmpty();
        expiry.leadership(true, 12_000 * MS);
        assertThat(expiry.due(21_999 * MS)).isEmpty();
        assertThat(expiry.due(22_000 * MS)).containsExactly(7L);
    }

    @Test
    void aDueLeaseIsProposedAgainOnlyAfterTheRetryIntervalAndNotAfterItEnded() {
        expiry.leadership(true, 0);
        expiry.started(7, 1_000, 0);
        assertThat(expiry.due(1_000 * MS)).containsExactly(7L);
        assertThat(expiry.due(1_499 * MS)).isEmpty();
        assertThat(expiry.due(1_500 * MS)).containsExactly(7L);
        expiry.ended(7);
        assertThat(expiry.due(60_000 * MS)).isEmpty();
    }

    @Test
    void aRestoreRestartsEveryLeaseFromItsTtl() {
        expiry.leadership(true, 0);
        expiry.started(1, 1_000, 0);
        expiry.restored(List.of(new Lease(2, 5_000, Set.of())), 100 * MS);
        assertThat(expiry.due(5_099 * MS)).isEmpty();
        assertThat(expiry.due(5_100 * MS)).containsExactly(2L);
    }
}
