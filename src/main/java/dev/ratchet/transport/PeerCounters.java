package dev.ratchet.transport;

import java.util.concurrent.atomic.LongAdder;

/** The live, thread-safe counters behind one {@link TransportStats.PeerStats}. */
final class PeerCounters {

    final LongAdder framesOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder framesIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder queueDrops = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder dialFailures = new LongAdder();
    final LongAdder frameErrors = new LongAdder();

    TransportStats.PeerStats snapshot(long queuedFrames) {
        return new TransportStats.PeerStats(framesOut.sum(), bytesOut.sum(), framesIn.sum(), bytesIn.sum(),
                queueDrops.sum(), connectionsOpened.sum(), reconnects.sum(), dialFailures.sum(),
                frameErrors.sum(), queuedFrames);
    }
}
