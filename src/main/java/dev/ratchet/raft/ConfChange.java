package dev.ratchet.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One membership change, applied one server at a time (Ongaro's thesis, chapter 4). It is carried in a
 * {@link EntryType#CONF_CHANGE} entry and takes effect on every node as soon as the entry is appended
 * to its log, not when it commits; a truncated change is undone.
 */
public record ConfChange(Type type, String nodeId) {

    /** Longest node id accepted, in UTF-8 bytes. */
    public static final int MAX_NODE_ID_BYTES = 255;

    /** The kind of change. */
    public enum Type {
        /** Adds a voter, or promotes an existing learner to voter. */
        ADD_VOTER,
        /** Adds a non-voting learner that receives the log and catches up. */
        ADD_LEARNER,
        /** Removes a voter or learner. */
        REMOVE_NODE
    }

    public ConfChange {
        Objects.requireNonNull(type, "type");
        validateNodeId(nodeId);
    }

    static void validateNodeId(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        int len = nodeId.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len > MAX_NODE_ID_BYTES) {
            throw new IllegalArgumentException("node id must have 1.." + MAX_NODE_ID_BYTES + " UTF-8 bytes: '" + nodeId + "'");
        }
    }

    /**
     * The membership after this change.
     *
     * @throws IllegalArgumentException if the change does not apply (adding an existing voter, removing an
     *     unknown node, removing the last voter, demoting a voter to learner)
     */
    public ConfState applyTo(ConfState conf) {
        Set<String> voters = new HashSet<>(conf.voters());
        Set<String> learners = new HashSet<>(conf.learners());
        switch (type) {
            case ADD_VOTER -> {
                if (voters.contains(nodeId)) {
                    throw new IllegalArgumentException(nodeId + " is already a voter");
                }
                learners.remove(nodeId);
                voters.add(nodeId);
            }
            case ADD_LEARNER -> {
                if (voters.contains(nodeId) || learners.contains(nodeId)) {
                    throw new IllegalArgumentException(nodeId + " is already a member");
                }
                learners.add(nodeId);
            }
            case REMOVE_NODE -> {
                if (!voters.remove(nodeId) && !learners.remove(nodeId)) {
                    throw new IllegalArgumentException(nodeId + " is not a member");
                }
                if (voters.isEmpty()) {
                    throw new IllegalArgumentException("cannot remove the last voter " + nodeId);
                }
            }
        }
        return new ConfState(voters, learners);
    }

    /** The payload of a {@link EntryType#CONF_CHANGE} entry. */
    public byte[] encode() {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).put((byte) type.ordinal()).put((byte) (id.length - 1)).put(id).array();
    }

    /**
     * Parses the payload of a {@link EntryType#CONF_CHANGE} entry.
     *
     * @throws IllegalArgumentException if the bytes are not an encoded change
     */
    public static ConfChange decode(byte[] data) {
        if (data == null || data.length < 3) {
            throw new IllegalArgumentException("conf change payload too short");
        }
        int t = data[0];
        if (t < 0 || t >= Type.values().length) {
            throw new IllegalArgumentException("unknown conf change type " + t);
        }
        int len = (data[1] & 0xff) + 1;
        if (data.length != 2 + len) {
            throw new IllegalArgumentException("conf change payload length " + data.length + " does not match id length " + len);
        }
        return new ConfChange(Type.values()[t], new String(data, 2, len, StandardCharsets.UTF_8));
    }

    /**
     * The membership after a {@link EntryType#CONF_CHANGE} entry's payload, exactly as the core computes it:
     * a payload that does not decode or apply leaves the membership unchanged. Applications that track the
     * membership at their applied index (for snapshot metadata) must use this.
     */
    public static ConfState applyEntry(ConfState conf, byte[] payload) {
        try {
            return decode(payload).applyTo(conf);
        } catch (IllegalArgumentException e) {
            return conf;
        }
    }

    /** The entry payloads that bootstrap a fresh cluster with the given voters (see {@link RaftCore#bootstrap}). */
    static ConfChange addVoter(String id) {
        return new ConfChange(Type.ADD_VOTER, id);
    }
}
