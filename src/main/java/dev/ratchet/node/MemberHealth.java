package dev.ratchet.node;

/**
 * The leader's judgement of one member incarnation, for {@code /actuator/consensus}. Immutable.
 *
 * @param raftId the incarnation (node id and incarnation suffix)
 * @param silentMillis how long ago the leader last heard from it; measured only while this node
 *        leads, so right after an election every member counts as just heard
 * @param healthy true when it answered within the last election timeout
 * @param reason why it is (un)healthy, and what autopilot does or waits for about it
 */
public record MemberHealth(String raftId, long silentMillis, boolean healthy, String reason) {
}
