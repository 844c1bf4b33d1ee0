package dev.ratchet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.config.PeerHandshakeProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.config.Validation;
import dev.ratchet.node.NodeSettings;
import dev.ratchet.storage.StorageOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code ratchet.raft.snapshot-catch-up-entries} and {@code -bytes}: bound from their kebab-case names with
 * etcd's defaults, refused at start with one line naming the property when out of range, and handed to
 * the node's storage.
 */
class SnapshotCatchUpPropertiesTest {

    private static Map<String, String> required() {
        Map<String, String> m = new HashMap<>();
        m.put("ratchet.node-id", "n1");
        m.put("ratchet.data-dir", "/tmp/unused-by-this-test");
        m.put("ratchet.join-token", "join-token-0123456789abcdef");
        m.put("ratchet.bootstrap", "true");
        return m;
    }

    private static NodeSettings settings(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        RatchetProperties p = binder.bindOrCreate("ratchet", RatchetProperties.class);
        ApiProperties api = binder.bindOrCreate("ratchet.api", ApiProperties.class);
        PeerHandshakeProperties h = binder.bindOrCreate("ratchet.peer.handshake", PeerHandshakeProperties.class);
        return new NodeConfiguration().nodeSettings(p, api, h, 8080);
    }

    @Test
    void defaultsAreEtcdsFiveThousandEntriesOr64MiB() {
        StorageOptions storage = settings(required()).storage();
        assertThat(storage.catchUpEntries()).isEqualTo(5_000);
        assertThat(storage.catchUpBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void bothBoundsReachTheStorage() {
        Map<String, String> m = required();
        m.put("ratchet.raft.snapshot-catch-up-entries", "250");
        m.put("ratchet.raft.snapshot-catch-up-bytes", "2MB");
        StorageOptions storage = settings(m).storage();
        assertThat(storage.catchUpEntries()).isEqualTo(250);
        assertThat(storage.catchUpBytes()).isEqualTo(2L * 1024 * 1024);
    }

    @Test
    void zeroKeepsNoMargin() {
        Map<String, String> m = required();
        m.put("ratchet.raft.snapshot-catch-up-entries", "0");
        m.put("ratchet.raft.snapshot-catch-up-bytes", "0B");
        assertThat(settings(m).storage().catchUpEntries()).isZero();
    }

    @Test
    void aNegativeOrHugeEntryCountIsRefusedNamingTheProperty() {
        for (String bad : new String[] {"-1", "1000001"}) {
            Map<String, String> m = required();
            m.put("ratchet.raft.snapshot-catch-up-entries", bad);
            assertThatThrownBy(() -> settings(m)).isInstanceOf(BindException.class)
                    .rootCause().isInstanceOf(Validation.InvalidPropertyException.class)
                    .hasMessage("ratchet.raft.snapshot-catch-up-entries must be between 0 and 1000000 (was: " + bad + ")");
        }
    }

    @Test
    void theWalSegmentSizeReachesTheStorageAndIsBounded() {
        assertThat(settings(required()).storage().segmentBytes()).isEqualTo(64L * 1024 * 1024);
        Map<String, String> m = required();
        m.put("ratchet.raft.wal-segment-size", "64KB");
        assertThat(settings(m).storage().segmentBytes()).isEqualTo(64 * 1024);
        m.put("ratchet.raft.wal-segment-size", "4KB");
        assertThatThrownBy(() -> settings(m)).isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(Validation.InvalidPropertyException.class)
                .hasMessage("ratchet.raft.wal-segment-size must be between 64KB and 1GB (was: 4096B)");
    }

    @Test
    void aByteBoundAboveOneGigabyteIsRefusedNamingTheProperty() {
        Map<String, String> m = required();
        m.put("ratchet.raft.snapshot-catch-up-bytes", "2GB");
        assertThatThrownBy(() -> settings(m)).isInstanceOf(BindException.class)
                .rootCause().isInstanceOf(Validation.InvalidPropertyException.class)
                .hasMessageStartingWith("ratchet.raft.snapshot-catch-up-bytes must be between 0B and 1GB (was: ");
    }
}
