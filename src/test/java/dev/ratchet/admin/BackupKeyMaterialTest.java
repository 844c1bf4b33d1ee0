package dev.ratchet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.state.BackupImages;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.Member;
import dev.ratchet.trust.Certificates;
import dev.ratchet.trust.KeyType;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import dev.ratchet.trust.TrustRootsCodec;
import dev.ratchet.trust.TrustSettings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "backups without secrets": a backup, online ({@link BackupImages#of}) or from a snapshot
 * ({@link BackupImages#fromSnapshot}), decoded with the state codec, holds the documents but no roots,
 * and none of the roots' private keys appears anywhere in its bytes.
 */
class BackupKeyMaterialTest {

    private final TrustRoots roots = Certificates.seed(
            new TrustSettings(Duration.ofDays(30), 3, Duration.ofMinutes(5), KeyType.EC_P256), Instant.now(),
            new SecureRandom());

    private ClusterState stateWithRoots() {
        ClusterState state = new ClusterState();
        state.apply(1, new Command.SetRoots(TrustRootsCodec.encode(roots)));
        state.apply(2, new Command.SetMember(new Member("a", "127.0.0.1:7001", "http://127.0.0.1:8081")));
        state.apply(3, new Command.PutKey("app/config", "value".getBytes(StandardCharsets.UTF_8), null, false));
        return state;
    }

    @Test
    void anOnlineBackupDecodesToTheDataWithoutRoots() {
        ClusterState state = stateWithRoots();
        assertThat(state.roots()).as("the live state does hold the keys").isNotEmpty();
        assertNoKeyMaterial(BackupImages.of(state));
    }

    @Test
    void aBackupFromASnapshotImageDropsTheRootsToo() {
        assertNoKeyMaterial(BackupImages.fromSnapshot(stateWithRoots().snapshot()));
    }

    private void assertNoKeyMaterial(byte[] backup) {
        ClusterState decoded = new ClusterState();
        decoded.restore(backup);
        assertThat(decoded.appliedIndex()).isEqualTo(3);
        assertThat(decoded.roots()).isEmpty();
        assertThat(decoded.document("app/config").value()).isEqualTo("value".getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.members()).containsOnlyKeys("a");
        for (TrustRoot root : roots.roots()) {
            byte[] pkcs8 = root.privateKey().getEncoded();
            assertThat(indexOf(backup, pkcs8)).as("root %s's PKCS#8 key in the backup", root.shortId()).isNegative();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
