package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Minted join tokens and the bootstrap token's retirement in the replicated state. */
class JoinTokenStateTest {

    private static final long CREATED = 1_700_000_000_000L;
    private static final long EXPIRES = CREATED + 3_600_000;

    private static JoinTokenRecord token(String id, int maxUses) {
        byte[] salt = new byte[JoinTokenRecord.SALT_BYTES];
        Arrays.fill(salt, (byte) id.charAt(0));
        byte[] key = new byte[JoinTokenRecord.KEY_BYTES];
        Arrays.fill(key, (byte) 7);
        return new JoinTokenRecord(id, salt, 10_000, key, CREATED, EXPIRES, maxUses, List.of());
    }

    @Test
    void commandsAndResultsRoundTripThroughTheirCodecs() {
        for (Command c : List.of(new Command.PutJoinToken(token("0123456789ab", 3)),
                new Command.RevokeJoinToken("0123456789ab"), new Command.UseJoinToken("0123456789ab", CREATED + 5, "n4~00ff00ff00ff00ff"),
                new Command.RetireBootstrapToken())) {
            Proposal p = new Proposal("node-1", 42, c);
            assertThat(CommandCodec.decode(CommandCodec.encode(p))).isEqualTo(p);
        }
        CommandResult refused = new CommandResult.Refused("join token x has expired");
        assertThat(CommandResultCodec.decode(CommandResultCodec.encode(9, refused)).result()).isEqualTo(refused);
    }

    @Test
    void usesAreCountedExactlyAndExpiryIsJudgedOnTheCommandsTime() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.PutJoinToken(token("aaaaaaaaaaaa", 2)));
        assertThat(state.apply(2, new Command.UseJoinToken("aaaaaaaaaaaa", CREATED + 1, "n1"))).isInstanceOf(CommandResult.Done.class);
        assertThat(state.apply(3, new Command.UseJoinToken("aaaaaaaaaaaa", CREATED + 2, "n2"))).isInstanceOf(CommandResult.Done.class);
        assertThat(state.joinToken("aaaaaaaaaaaa").used()).isEqualTo(2);
        // The same joiner asking again (its answer was lost) uses nothing more, even with none left.
        assertThat(state.apply(4, new Command.UseJoinToken("aaaaaaaaaaaa", CREATED + 3, "n1")))
                .isInstanceOf(CommandResult.Done.class);
        assertThat(state.joinToken("aaaaaaaaaaaa").usedBy()).containsExactly("n1", "n2");
        CommandResult third = state.apply(5, new Command.UseJoinToken("aaaaaaaaaaaa", CREATED + 3, "n3"));
        assertThat(third).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) third).reason()).contains("no uses left");
        assertThat(state.joinToken("aaaaaaaaaaaa").used()).isEqualTo(2);

        state.apply(6, new Command.PutJoinToken(token("bbbbbbbbbbbb", 0)));
        assertThat(state.apply(7, new Command.UseJoinToken("bbbbbbbbbbbb", EXPIRES - 1, "n4"))).isInstanceOf(CommandResult.Done.class);
        CommandResult late = state.apply(8, new Command.UseJoinToken("bbbbbbbbbbbb", EXPIRES, "n5"));
        assertThat(((CommandResult.Refused) late).reason()).contains("expired");
        assertThat(state.apply(9, new Command.UseJoinToken("cccccccccccc", CREATED, "n6"))).isInstanceOf(CommandResult.NotFound.class);

        assertThat(state.apply(10, new Command.RevokeJoinToken("bbbbbbbbbbbb"))).isInstanceOf(CommandResult.Deleted.class);
        assertThat(state.apply(11, new Command.RevokeJoinToken("bbbbbbbbbbbb"))).isInstanceOf(CommandResult.NotFound.class);
        assertThat(state.apply(12, new Command.UseJoinToken("bbbbbbbbbbbb", CREATED, "n7"))).isInstanceOf(CommandResult.NotFound.class);
    }

    @Test
    void snapshotsCarryTokensAndTheRetirementButBackupsCarryNeither() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetMember(new Member("a", "127.0.0.1:1", "http://127.0.0.1:2")));
        state.apply(2, new Command.PutJoinToken(token("bbbbbbbbbbbb", 1)));
        state.apply(3, new Command.PutJoinToken(token("aaaaaaaaaaaa", 0)));
        state.apply(4, new Command.UseJoinToken("bbbbbbbbbbbb", CREATED + 1, "n8"));
        assertThat(state.bootstrapTokenRetired()).isFalse();
        state.apply(5, new Command.RetireBootstrapToken());
        assertThat(state.bootstrapTokenRetired()).isTrue();

        ClusterState restored = new ClusterState();
        restored.restore(state.snapshot());
        assertThat(restored.joinTokens()).isEqualTo(state.joinTokens());
        assertThat(restored.joinTokens()).extracting(JoinTokenRecord::id).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb");
        assertThat(restored.joinToken("bbbbbbbbbbbb").used()).isEqualTo(1);
        assertThat(restored.bootstrapTokenRetired()).isTrue();
        assertThat(restored.snapshot()).isEqualTo(state.snapshot());

        ClusterState fromBackup = new ClusterState();
        fromBackup.restore(BackupImages.of(state));
        assertThat(fromBackup.joinTokens()).isEmpty();
        assertThat(fromBackup.bootstrapTokenRetired()).isFalse();
    }

    @Test
    void removedIncarnationsStayBarredThroughSnapshots() {
        ClusterState state = new ClusterState();
        assertThat(state.apply(1, new Command.BarIncarnations(List.of("n3~00ff00ff00ff00ff", "n3"))))
                .isInstanceOf(CommandResult.Done.class);
        assertThat(state.isBarred("n3~00ff00ff00ff00ff")).isTrue();
        assertThat(state.isBarred("n3~1111111111111111")).as("a new incarnation is not barred").isFalse();
        Proposal p = new Proposal("n1", 1, new Command.BarIncarnations(List.of("n3~00ff00ff00ff00ff")));
        assertThat(CommandCodec.decode(CommandCodec.encode(p))).isEqualTo(p);

        ClusterState restored = new ClusterState();
        restored.restore(state.snapshot());
        assertThat(restored.isBarred("n3~00ff00ff00ff00ff")).isTrue();
        assertThat(restored.isBarred("n3")).isTrue();
        assertThat(restored.snapshot()).isEqualTo(state.snapshot());
        assertThatThrownBy(() -> new Command.BarIncarnations(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anImageWithoutJoinTokensKeepsItsOldBytesAndStillReads() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetMember(new Member("a", "127.0.0.1:1", "http://127.0.0.1:2")));
        byte[] old = StateSnapshotCodec.encode(1, new byte[0], state.members().values(), List.of(), List.of());
        assertThat(state.snapshot()).isEqualTo(old);
        ClusterState restored = new ClusterState();
        restored.restore(old);
        assertThat(restored.joinTokens()).isEmpty();
        assertThat(restored.bootstrapTokenRetired()).isFalse();
    }

    @Test
    void recordsRefuseWhatTheyCannotHold() {
        byte[] salt = new byte[16];
        byte[] key = new byte[32];
        assertThatThrownBy(() -> new JoinTokenRecord("XYZ", salt, 1, key, 0, 1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JoinTokenRecord("0123456789ab", new byte[3], 1, key, 0, 1, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JoinTokenRecord("0123456789ab", salt, 1, key, 5, 5, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JoinTokenRecord("0123456789ab", salt, 1, key, 0, 1, 2, List.of("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
