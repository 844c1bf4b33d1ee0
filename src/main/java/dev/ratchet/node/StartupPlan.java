package dev.ratchet.node;

import java.nio.file.Path;

/**
 * What a node does at start-up to obtain its trust roots and its place in a cluster, decided from what
 * its data directory holds and how it is configured. Kept in one place on purpose: it is the only spot
 * that may create a new cluster.
 *
 * @param action what to do
 * @param reason for {@link Action#FAIL}, the message that stops start-up; otherwise a short note
 */
record StartupPlan(Action action, String reason) {

    /** The start-up paths. */
    enum Action {
        /**
         * Empty directory, {@code ratchet.bootstrap=true}, and no seed has a cluster (with a
         * {@code bootstrap-expect} wait, enough seeds answered fresh): create a new cluster with this node
         * as its voter.
         */
        BOOTSTRAP,
        /** Empty directory: join a cluster through the join addresses as a new member (or incarnation). */
        JOIN,
        /** A member whose roots all expired: fetch the current roots through the join addresses. */
        REFRESH_ROOTS,
        /** A member with usable roots on disk: start with them. */
        USE_LOCAL_ROOTS,
        /** Nothing sensible to do: stop with {@link #reason()}. */
        FAIL
    }

    /**
     * What the decision looks at.
     *
     * @param seedHasCluster a seed answered that it is a member of a cluster (only asked when
     *     {@link #asksSeeds} says so; false otherwise)
     */
    record Facts(boolean emptyDataDir, boolean bootstrap, boolean rootsOnDisk, boolean rootsAllExpired,
            boolean haveJoinAddresses, Path dataDir, Path rootsFile, boolean seedHasCluster) {
    }

    /**
     * Whether the seeds must be asked for {@link Facts#seedHasCluster()} before deciding: only a node that
     * would found a cluster asks (Consul's {@code bootstrap_expect}); every other start decides alone.
     */
    static boolean asksSeeds(boolean emptyDataDir, boolean bootstrap) {
        return emptyDataDir && bootstrap;
    }

    /** The one start-up decision. Pure: no I/O. */
    static StartupPlan decide(Facts f) {
        if (f.emptyDataDir() && f.bootstrap()) {
            if (f.seedHasCluster()) {
                // A wiped founder: joining is the only way that never leaves two clusters behind one address.
                return new StartupPlan(Action.JOIN, "empty data directory, and a seed is a member of a cluster");
            }
            return new StartupPlan(Action.BOOTSTRAP, "empty data directory, ratchet.bootstrap=true, no seed has a cluster");
        }
        if (!f.emptyDataDir() && f.rootsOnDisk()) {
            if (!f.rootsAllExpired() || !f.haveJoinAddresses()) {
                // With no join address, members' API URLs are known once the state is loaded; the
                // maintenance loop fetches fresh roots from them then.
                return new StartupPlan(Action.USE_LOCAL_ROOTS, "roots on disk");
            }
            return new StartupPlan(Action.REFRESH_ROOTS, "every trust root this node holds has expired");
        }
        if (!f.haveJoinAddresses()) {
            return new StartupPlan(Action.FAIL, f.emptyDataDir()
                    ? "the data directory " + f.dataDir() + " is empty and ratchet.bootstrap is false:"
                            + " set ratchet.join-addresses to join a cluster, or ratchet.bootstrap=true to create one"
                    : "no trust roots in " + f.rootsFile() + ": set ratchet.join-addresses to fetch them");
        }
        return f.emptyDataDir() ? new StartupPlan(Action.JOIN, "empty data directory")
                : new StartupPlan(Action.REFRESH_ROOTS, "no trust roots on disk");
    }
}
