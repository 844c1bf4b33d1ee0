package dev.ratchet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.state.ApiTokenRecord;
import dev.ratchet.state.BackupImages;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.MalformedDataException;
import dev.ratchet.state.Member;
import dev.ratchet.state.Proposal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** API token records in the replicated state: log encoding, apply, snapshot, backup and restore. */
class ApiTokenStateTest {

    private static ApiTokenRecord token(String id) {
        return new ApiTokenRecord(id, "ci-" + id.substring(0, 2), ApiTokenFormat.hash("secret-" + id),
                List.of("kv:read:app/", "artifacts:write:builds/"), 1_700_000_000_000L);
    }

    @Test
    void commandsRoundTripThroughTheLogCodec() {
        for (Command c : List.of(new Command.PutApiToken(token("0123456789ab")), new Command.RevokeApiToken("0123456789ab"))) {
            Proposal p = new Proposal("node-1", 42, c);
            assertThat(CommandCodec.decode(CommandCodec.encode(p))).isEqualTo(p);
        }
    }

    @Test
    void recordsRefuseWhatTheyCannotHold() {
        assertThatThrownBy(() -> new ApiTokenRecord("XYZ", "n", new byte[32], List.of("admin"), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenRecord("0123456789ab", "bad name", new byte[32], List.of("admin"), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenRecord("0123456789ab", "n", new byte[31], List.of("admin"), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiTokenRecord("0123456789ab", "n", new byte[32], List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensSurviveSnapshotsAndBackupsAndRevocationsApply() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetMember(new Member("a", "127.0.0.1:1", "http://127.0.0.1:2")));
        assertThat(state.apply(2, new Command.PutApiToken(token("bbbbbbbbbbbb")))).isInstanceOf(CommandResult.Done.class);
        state.apply(3, new Command.PutApiToken(token("aaaaaaaaaaaa")));
        assertThat(state.apiTokens()).extracting(ApiTokenRecord::id).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb");

        ClusterState restored = new ClusterState();
        restored.restore(state.snapshot());
        assertThat(restored.apiTokens()).isEqualTo(state.apiTokens());
        assertThat(restored.snapshot()).isEqualTo(state.snapshot());

        ClusterState fromBackup = new ClusterState();
        fromBackup.restore(BackupImages.forNewCluster(BackupImages.of(state), new byte[0],
                new Member("b", "127.0.0.1:3", "http://127.0.0.1:4")));
        assertThat(fromBackup.apiToken("aaaaaaaaaaaa")).isEqualTo(token("aaaaaaaaaaaa"));

        assertThat(state.apply(4, new Command.RevokeApiToken("aaaaaaaaaaaa"))).isInstanceOf(CommandResult.Deleted.class);
        assertThat(state.apply(5, new Command.RevokeApiToken("aaaaaaaaaaaa"))).isInstanceOf(CommandResult.NotFound.class);
        assertThat(state.apiToken("aaaaaaaaaaaa")).isNull();
    }

    @Test
    void anImageWithoutTokensIsTheOldFormatAndJunkAfterItIsRefused() {
        ClusterState empty = new ClusterState();
        byte[] image = empty.snapshot();
        byte[] junk = java.util.Arrays.copyOf(image, image.length + 1);
        junk[image.length] = 99;
        assertThatThrownBy(() -> new ClusterState().restore(junk)).isInstanceOf(MalformedDataException.class);
    }
}
