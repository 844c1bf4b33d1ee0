package dev.ratchet.node;

/** Why a node waits for a membership change; {@link #label()} is the metric's {@code reason} tag. */
public enum MembershipWait {
    /** A full member (or simply a learner catching up). */
    NONE("none"),
    /** Not admitted yet: joining, or refused for now (for example its old incarnation still answers). */
    JOINING("joining"),
    /** Running but not in the configuration. */
    NOT_MEMBER("not_member"),
    /** A learner whose old incarnation is still in the configuration: waits for a committed removal. */
    REPLACING("replacing_old_incarnation");

    private final String label;

    MembershipWait(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
