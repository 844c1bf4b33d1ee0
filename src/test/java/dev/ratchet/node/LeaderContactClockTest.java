package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderContactClockTest {

    private final LeaderContactClock clock = new LeaderContactClock();

    @Test
    void gapsAreMeasuredBetweenTheLeadersMessages() {
        assertThat(clock.stepped(heartbeat("n1", 3), 1_000)).as("first contact").isEqualTo(-1);
        assertThat(clock.stepped(heartbeat("n1", 3), 51_000)).isEqualTo(50_000);
        assertThat(clock.stepped(new Message.AppendEntries("n1", "n2", 3, 5, 3, List.of(), 5), 61_000))
                .isEqualTo(10_000);
        assertThat(clock.stepped(new Message.VoteResponse("n3", "n2", 3, false), 90_000))
                .as("not a leader's message: ignored").isEqualTo(-1);
        assertThat(clock.stepped(heartbeat("n1", 3), 100_000)).isEqualTo(39_000);
    }

    /** The gap an election ends is the time without a leader, and it is the one that matters most. */
    @Test
    void aNewLeadersFirstMessageEndsTheGapWithoutALeader() {
        clock.stepped(heartbeat("n1", 3), 0);
        assertThat(clock.stepped(heartbeat("n3", 4), 900_000)).isEqualTo(900_000);
        assertThat(clock.stepped(heartbeat("n3", 4), 950_000)).isEqualTo(50_000);
    }

    @Test
    void aDeposedLeadersLateMessagesAreIgnored() {
        clock.stepped(heartbeat("n3", 4), 0);
        assertThat(clock.stepped(heartbeat("n1", 3), 20_000)).isEqualTo(-1);
        assertThat(clock.stepped(heartbeat("n3", 4), 50_000)).as("measured from n3's last message").isEqualTo(50_000);
    }

    private static Message heartbeat(String from, long term) {
        return new Message.Heartbeat(from, "n2", term, 0, 0);
    }
}
