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
        /** Empty directory and {@code ratchet.bootstrap=true}: create a new cluster with this node as its voter. */
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

    /** What the decision looks at. */
    record Facts(boolean emptyDataDir, boolean bootstrap, boolean rootsOnDisk, boolean rootsAllExpired,
            boolean haveJoinAddresses, Path dataDir, Path rootsFile) {
    }

    /** The one start-up decision. Pure: no I/O. */
    static StartupPlan decide(Facts f) {
        if (f.emptyDataDir() && f.bootstrap()) {
            return new StartupPlan(Action.BOOTSTRAP, "empty data directory and ratchet.bootstrap=true");
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
