package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stand-in conf change encoding for storage tests (the real one belongs to the Raft core): the
 * payload is {@code +id} (add voter), {@code ~id} (add learner) or {@code -id} (remove).
 */
final class TestConfChanges implements ConfChangeApplier {

    static final TestConfChanges INSTANCE = new TestConfChanges();

    static byte[] encode(char operation, String id) {
        return (operation + id).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ConfState apply(ConfState base, Entry confChange) {
        String text = new String(confChange.data(), StandardCharsets.UTF_8);
        if (text.length() < 2) {
            throw new IllegalArgumentException("not a test conf change: " + text);
        }
        String id = text.substring(1);
        Set<String> voters = new TreeSet<>(base.voters());
        Set<String> learners = new TreeSet<>(base.learners());
        voters.remove(id);
        learners.remove(id);
        switch (text.charAt(0)) {
            case '+' -> voters.add(id);
            case '~' -> learners.add(id);
            case '-' -> { }
            default -> throw new IllegalArgumentException("not a test conf change: " + text);
        }
        return new ConfState(voters, learners);
    }
}
