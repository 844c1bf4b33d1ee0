package dev.ratchet.watch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of a node's watches: {@code ratchet_watch_open}, {@code ratchet_watch_waiting_reads},
 * {@code ratchet_watch_events_sent_total}, {@code ratchet_watch_cut_off_total}, and the change
 * history's retained revisions and bytes. Read from the hub when scraped.
 */
public final class WatchMetrics implements MeterBinder {

    private final WatchHub hub;

    public WatchMetrics(WatchHub hub) {
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.watch.open", hub, WatchHub::openWatches)
                .description("Server-Sent-Event watches open on this node").register(registry);
        Gauge.builder("ratchet.watch.waiting.reads", hub, WatchHub::waitingReads)
                .description("Blocking reads (waitRevision) waiting on this node").register(registry);
        FunctionCounter.builder("ratchet.watch.events.sent", hub, WatchHub::eventsSent)
                .description("Change events sent to watchers").register(registry);
        FunctionCounter.builder("ratchet.watch.cut.off", hub, WatchHub::watchersCutOff)
                .description("Watchers cut off: too slow, or overtaken by the change history's bound").register(registry);
        Gauge.builder("ratchet.watch.history.revisions", hub, h -> h.history().size()[0])
                .description("Revisions retained in this node's change history").register(registry);
        Gauge.builder("ratchet.watch.history.bytes", hub, h -> h.history().size()[1])
                .description("Bytes held by this node's change history").register(registry);
    }
}
