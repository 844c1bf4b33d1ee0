package dev.ratchet.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The arithmetic of the quota and the free-space reserve, with a volume the test controls. */
class StorageBudgetTest {
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong usable = new AtomicLong(10_000);

    private StorageBudget budget(long quota, long minFree) {
        return new StorageBudget(new StorageLimits(quota, minFree), stored::get, usable::get);
    }

    @Test
    void theQuotaCountsStoredBytesAndReservationsInProgress() throws Exception {
        StorageBudget budget = budget(1000, 0);
        stored.set(300);
        StorageBudget.Reservation a = budget.reserve(400, "a");
        assertThatThrownBy(() -> budget.reserve(301, "b"))
                .isInstanceOfSatisfying(ArtifactStoreFullException.class,
                        e -> assertThat(e.property()).isEqualTo("ratchet.artifacts.quota"))
                .hasMessageContaining("b would take the artifact store to 1001 bytes");
        budget.reserve(300, "fits exactly").close();
        a.close();
        budget.reserve(700, "room again").close();
    }

    @Test
    void aReservationOfUnknownSizeStopsWhenItsBytesPassTheQuota() throws Exception {
        StorageBudget budget = budget(1000, 0);
        try (StorageBudget.Reservation chunked = budget.reserve(-1, "chunked")) {
            chunked.written(600, "chunked");
            chunked.written(1000, "chunked");
            assertThatThrownBy(() -> chunked.written(1001, "chunked")).isInstanceOf(ArtifactStoreFullException.class);
            assertThatThrownBy(() -> budget.reserve(1, "other")).as("its bytes count while it is open")
                    .isInstanceOf(ArtifactStoreFullException.class);
        }
        budget.reserve(1000, "all of it, once closed").close();
    }

    @Test
    void theReserveCountsWhatOpenReservationsStillHaveToWrite() throws Exception {
        StorageBudget budget = budget(0, 2000);
        StorageBudget.Reservation a = budget.reserve(5000, "a");
        assertThatThrownBy(() -> budget.reserve(3001, "b"))
                .isInstanceOfSatisfying(ArtifactStoreFullException.class,
                        e -> assertThat(e.property()).isEqualTo("ratchet.artifacts.min-free-space"))
                .hasMessageContaining("would leave 1999 bytes free");
        // a writes 4000 of its 5000 bytes: the volume shows it, and a's remaining claim shrinks to 1000.
        usable.addAndGet(-4000);
        a.written(4000, "a");
        budget.reserve(3000, "b").close();
        // Someone else fills the disk: a's next bytes are refused although a declared them.
        usable.set(2400);
        assertThatThrownBy(() -> a.written(4500, "a")).isInstanceOf(ArtifactStoreFullException.class);
        a.close();
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        StorageBudget budget = budget(0, 0);
        usable.set(0);
        stored.set(Long.MAX_VALUE / 4);
        budget.reserve(Long.MAX_VALUE / 4, "huge").close();
    }

    @Test
    void negativeLimitsNameTheirProperties() {
        assertThatThrownBy(() -> new StorageLimits(-1, 0)).hasMessageContaining("ratchet.artifacts.quota");
        assertThatThrownBy(() -> new StorageLimits(0, -1)).hasMessageContaining("ratchet.artifacts.min-free-space");
    }
}
