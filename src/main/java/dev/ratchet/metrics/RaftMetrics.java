package dev.ratchet.metrics;

import dev.ratchet.node.DriverStats;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Meters of one node's Raft state: term, role, leader, indexes, apply lag, proposals, elections,
 * leader changes, snapshots, pending proposals, and histograms of the append+fsync time of each persisted
 * batch and of the apply latency of this node's proposals.
 *
 * <p>Gauges read the driver's published {@link Status} (a volatile record) when scraped; counters read
 * {@link DriverStats}. Binding installs {@link DriverStats#setSyncListener} and
 * {@link DriverStats#setApplyListener} and {@link DriverStats#setLeaderContactListener} (replacing any others), whose callbacks run on the driver thread
 * and only record into a timer. Bind to one registry only.
 */
public final class RaftMetrics implements MeterBinder {

    private final Supplier<Status> status;
    private final LongSupplier appliedIndex;
    private final DriverStats stats;
    private final Duration tick;

    /**
     * @param status the driver's latest status
     * @param appliedIndex the driver's applied index
     * @param stats the driver's counters
     * @param tick one Raft tick (the heartbeat interval): the leader-contact histogram's buckets are ticks
     */
    public RaftMetrics(Supplier<Status> status, LongSupplier appliedIndex, DriverStats stats, Duration tick) {
        this.status = Objects.requireNonNull(status, "status");
        this.appliedIndex = Objects.requireNonNull(appliedIndex, "appliedIndex");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.tick = Objects.requireNonNull(tick, "tick");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ratchet.raft.term", this, m -> m.status.get().term())
                .description("Current Raft term of this node").register(registry);
        for (Role role : Role.values()) {
            Gauge.builder("ratchet.raft.role", this, m -> m.status.get().role() == role ? 1 : 0)
                    .tag("role", role.name().toLowerCase(Locale.ROOT))
                    .description("1 for this node's current Raft role, 0 for the others").register(registry);
        }
        Gauge.builder("ratchet.raft.has.leader", this, m -> m.status.get().leader() == null ? 0 : 1)
                .description("1 when this node knows a leader, 0 otherwise").register(registry);
        Gauge.builder("ratchet.raft.voters", this, m -> m.status.get().conf().voters().size())
                .description("Voters in this node's current configuration").register(registry);
        Gauge.builder("ratchet.raft.learners", this, m -> m.status.get().conf().learners().size())
                .description("Learners (members catching up, not voting) in this node's current configuration")
                .register(registry);
        Gauge.builder("ratchet.raft.commit.index", this, m -> m.status.get().commit())
                .description("Highest log index this node knows to be committed").register(registry);
        Gauge.builder("ratchet.raft.applied.index", this, m -> m.appliedIndex.getAsLong())
                .description("Highest log index applied to this node's state").register(registry);
        Gauge.builder("ratchet.raft.apply.lag.entries", this,
                        m -> Math.max(0, m.status.get().commit() - m.appliedIndex.getAsLong()))
                .description("Committed entries not yet applied on this node").register(registry);
        Gauge.builder("ratchet.raft.follower.lag.entries", this, RaftMetrics::maxFollowerLag)
                .description("On the leader: the largest commit index minus a follower's match index; 0 elsewhere")
                .register(registry);
        FunctionCounter.builder("ratchet.raft.leader.changes", stats, DriverStats::leaderChanges)
                .description("Changes of this node's role or known leader").register(registry);
        FunctionCounter.builder("ratchet.raft.elections", stats, DriverStats::elections)
                .description("Elections this node started as a candidate").register(registry);
        FunctionCounter.builder("ratchet.raft.proposals", stats, DriverStats::proposals)
                .tag("outcome", "submitted").description("Proposals made on this node, by outcome").register(registry);
        FunctionCounter.builder("ratchet.raft.proposals", stats, DriverStats::proposalsCommitted)
                .tag("outcome", "committed").description("Proposals made on this node, by outcome").register(registry);
        FunctionCounter.builder("ratchet.raft.proposals", stats, DriverStats::proposalsFailed)
                .tag("outcome", "failed").description("Proposals made on this node, by outcome").register(registry);
        Gauge.builder("ratchet.raft.proposals.pending", stats, DriverStats::pendingProposals)
                .description("Proposals (and membership changes) this node's core accepted that are not applied yet")
                .register(registry);
        FunctionCounter.builder("ratchet.raft.inbox.drops", stats, DriverStats::inboxDrops)
                .description("Inputs refused because the driver's queue was full").register(registry);
        FunctionTimer.builder("ratchet.raft.snapshot", stats, DriverStats::snapshots, DriverStats::snapshotNanos,
                        TimeUnit.NANOSECONDS)
                .description("Snapshots this node took of its state, and the time from capture to saved").register(registry);
        FunctionTimer.builder("ratchet.raft.snapshot.capture", stats, DriverStats::snapshots,
                        DriverStats::snapshotCaptureNanos, TimeUnit.NANOSECONDS)
                .description("The part of each snapshot the Raft loop spends capturing the state (it is encoded and"
                        + " written beside the loop)")
                .register(registry);
        Gauge.builder("ratchet.raft.snapshot.in.progress", stats, DriverStats::snapshotInProgress)
                .description("1 while a snapshot this node captured is being encoded and written, else 0")
                .register(registry);
        Timer sync = Timer.builder("ratchet.raft.append.sync")
                .description("Time to append one batch of entries to the log and fsync it (group commit)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        DistributionSummary batch = DistributionSummary.builder("ratchet.raft.append.sync.batch")
                .baseUnit("entries").description("Entries persisted by one fsync")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(65_536.0)
                .register(registry);
        Timer apply = Timer.builder("ratchet.raft.proposal.apply.latency")
                .description("Time from this node's core accepting a proposal to its being applied here, "
                        + "in its own term (on the leader, forwarded proposals included)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        stats.setApplyListener(nanos -> apply.record(nanos, TimeUnit.NANOSECONDS));
        // Buckets of 1.5, 2, 3 and 10 ticks: a heartbeat is due every tick, an election follows 10 silent ones
        // (by default), and "over 3 ticks" is the stall the snapshot work must not cause.
        Timer contact = Timer.builder("ratchet.raft.leader.contact.gap")
                .description("On a follower, the time between two consecutive messages of its leader (appends,"
                        + " heartbeats) as its loop stepped them; across an election, the time without a leader")
                .serviceLevelObjectives(tick.multipliedBy(3).dividedBy(2), tick.multipliedBy(2), tick.multipliedBy(3),
                        tick.multipliedBy(10))
                .register(registry);
        stats.setLeaderContactListener(nanos -> contact.record(nanos, TimeUnit.NANOSECONDS));
        stats.setSyncListener((nanos, entries) -> {
            sync.record(nanos, TimeUnit.NANOSECONDS);
            batch.record(entries);
        });
    }

    private double maxFollowerLag() {
        Status s = status.get();
        long lag = 0;
        for (Status.FollowerStatus f : s.progress().values()) {
            lag = Math.max(lag, s.commit() - f.match());
        }
        return lag;
    }
}
