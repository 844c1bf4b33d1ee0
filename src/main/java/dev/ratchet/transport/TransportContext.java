package dev.ratchet.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the links and sessions of one transport share.
 *
 * @param handlerPool runs request handlers
 * @param streamPool runs stream handlers, which block on credit; separate so slow stream receivers cannot
 *     starve request handling
 * @param deliveryPool runs chunk consumers; separate so producers blocked on credit cannot starve them
 * @param scheduler fires call and stream timeouts
 */
record TransportContext(
        String localId,
        TransportConfig config,
        FrameCodec codec,
        TransportCounters counters,
        ExecutorService handlerPool,
        ExecutorService streamPool,
        ExecutorService deliveryPool,
        ScheduledExecutorService scheduler) {
}
