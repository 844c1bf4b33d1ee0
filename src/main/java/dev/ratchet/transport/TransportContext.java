package dev.ratchet.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the links and sessions of one transport share.
 *
 * @param handlerPool runs request and stream handlers
 * @param deliveryPool runs chunk consumers; separate so producers blocked on credit cannot starve them
 * @param scheduler fires call and stream timeouts
 */
record TransportContext(
        String localId,
        TransportConfig config,
        FrameCodec codec,
        TransportCounters counters,
        ExecutorService handlerPool,
        ExecutorService deliveryPool,
        ScheduledExecutorService scheduler) {
}
