package dev.ratchet.bench.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsFollowTheSharedSchema() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(3, o.nodes());
        assertEquals(List.of(1, 16, 32, 64, 256), o.clients());
        assertEquals(List.of(100, 4096), o.sizes());
        assertEquals(List.of(Workload.WRITE, Workload.READ_LINEARIZABLE, Workload.READ_STALE), o.workloads());
        assertEquals(120, o.warmupSeconds());
        assertEquals(30, o.durationSeconds());
        assertEquals("LINEARIZABLE", o.readOption());
    }

    @Test
    void argumentsOverrideDefaults() {
        BenchOptions o = BenchOptions.parse("clients=1,16", "sizes=100", "workloads=read-stale", "readOption=default",
                "peerJvm=-Xmx512m  -XX:+UseSerialGC");
        assertEquals(List.of(1, 16), o.clients());
        assertEquals(List.of(Workload.READ_STALE), o.workloads());
        assertEquals("DEFAULT", o.readOption());
        assertEquals(List.of("-Xmx512m", "-XX:+UseSerialGC"), o.peerJvm());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("bogus=1"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("clients=0"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("nodes=x"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("workloads=scan"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("readOption=LEASE"));
    }

    @Test
    void layoutRoundTripsThroughItsCommandLineForm() {
        ClusterLayout layout = new ClusterLayout(UUID.randomUUID(), List.of(4001, 4002, 4003));
        assertEquals(layout, ClusterLayout.parse(layout.encode()));
        assertEquals(3, layout.group().getPeers().size());
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.parse("nonsense"));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.parse(UUID.randomUUID() + "@1,x"));
    }
}
