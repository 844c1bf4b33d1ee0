package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

    private final ClusterState state = new ClusterState();
    private long index;

    private CommandResult apply(Command c) {
        return state.apply(++index, c);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenCompareAndSetByEtag() {
        var first = (CommandResult.Written) apply(new Command.PutKey("a/b", utf8("1"), null, false));
        assertThat(state.document("a/b").etag()).isEqualTo(first.etag());

        assertThat(apply(new Command.PutKey("a/b", utf8("2"), "wrong", false)))
                .isEqualTo(new CommandResult.PreconditionFailed(first.etag()));
        assertThat(state.document("a/b").value()).isEqualTo(utf8("1"));

        var second = (CommandResult.Written) apply(new Command.PutKey("a/b", utf8("2"), first.etag(), false));
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(state.document("a/b").createRevision()).isEqualTo(1);
        assertThat(state.document("a/b").modRevision()).isEqualTo(3);
    }

    @Test
    void ifMatchStarRequiresAnExistingKey() {
        assertThat(apply(new Command.PutKey("k", utf8("1"), Command.ANY_ETAG, false)))
                .isEqualTo(new CommandResult.PreconditionFailed(null));
        assertThat(state.document("k")).isNull();
        apply(new Command.PutKey("k", utf8("1"), null, false));
        assertThat(apply(new Command.PutKey("k", utf8("2"), Command.ANY_ETAG, false))).isInstanceOf(CommandResult.Written.class);
    }

    @Test
    void rewritingSameBytesChangesTheEtag() {
        var a = (CommandResult.Written) apply(new Command.PutKey("k", utf8("same"), null, false));
        var b = (CommandResult.Written) apply(new Command.PutKey("k", utf8("same"), null, false));
        assertThat(a.etag()).isNotEqualTo(b.etag());
    }

    @Test
    void createOnlyRefusesAnExistingKey() {
        assertThat(apply(new Command.PutKey("k", utf8("1"), null, true))).isInstanceOf(CommandResult.Written.class);
        assertThat(apply(new Command.PutKey("k", utf8("2"), null, true)))
                .isInstanceOf(CommandResult.PreconditionFailed.class);
        assertThat(state.document("k").value()).isEqualTo(utf8("1"));
    }

    @Test
    void deleteMissingIsNotFoundAndConditionalDeleteOfMissingFailsThePrecondition() {
        assertThat(apply(new Command.DeleteKey("nope", null))).isEqualTo(new CommandResult.NotFound());
        assertThat(apply(new Command.DeleteKey("nope", "x"))).isEqualTo(new CommandResult.PreconditionFailed(null));
        var w = (CommandResult.Written) apply(new Command.PutKey("k", utf8("1"), null, false));
        assertThat(apply(new Command.DeleteKey("k", "other"))).isEqualTo(new CommandResult.PreconditionFailed(w.etag()));
        assertThat(apply(new Command.DeleteKey("k", w.etag()))).isInstanceOf(CommandResult.Deleted.class);
        assertThat(state.document("k")).isNull();
        assertThat(state.documentStats()).containsExactly(0, 0);
    }

    @Test
    void listingIsByPrefixAndPaged() {
        for (String k : List.of("a/1", "a/2", "a/3", "ab", "b/1")) {
            apply(new Command.PutKey(k, utf8(k), null, false));
        }
        assertThat(state.listDocuments("a/", null, 2)).extracting(Document::key).containsExactly("a/1", "a/2");
        assertThat(state.listDocuments("a/", "a/2", 2)).extracting(Document::key).containsExactly("a/3");
        assertThat(state.listDocuments("a", null, 10)).extracting(Document::key).containsExactly("a/1", "a/2", "a/3", "ab");
        assertThat(state.listDocuments("", null, 10)).hasSize(5);
    }

    /** A key may go on past U+FFFF; the old bound (prefix + U+FFFF) left such keys out of their prefix. */
    @Test
    void aPrefixListingHoldsKeysThatGoOnPastTheHighestChar() {
        String high = "a" + Character.MAX_VALUE + "z";
        for (String k : List.of("a", high, "b")) {
            apply(new Command.PutKey(k, utf8(k), null, false));
        }
        assertThat(state.listDocuments("a", null, 10)).extracting(Document::key).containsExactly("a", high);
        assertThat(state.listDocuments("a" + Character.MAX_VALUE, null, 10)).extracting(Document::key)
                .containsExactly(high);
        assertThat(KeyRanges.upperBound("")).isNull();
        assertThat(KeyRanges.upperBound(String.valueOf(Character.MAX_VALUE))).isNull();
        assertThat(KeyRanges.upperBound("a" + Character.MAX_VALUE)).isEqualTo("b");
    }

    @Test
    void aPageAfterAKeyOutsideThePrefixIsTheWholeRangeOrNothing() {
        for (String k : List.of("a/1", "a/2", "b/1")) {
            apply(new Command.PutKey(k, utf8(k), null, false));
        }
        assertThat(state.listDocuments("a/", "0", 10)).extracting(Document::key).containsExactly("a/1", "a/2");
        assertThat(state.listDocuments("a/", "a0", 10)).isEmpty();
        assertThat(state.listDocuments("a/", "z", 10)).isEmpty();
    }

    /** What a snapshot relies on: the captured state is encoded later, after applies went on. */
    @Test
    void aCapturedStateIsUnchangedByLaterCommands() {
        apply(new Command.SetRoots(new byte[] {1, 2, 3}));
        apply(new Command.SetMember(new Member("n1", "127.0.0.1:7001", "http://127.0.0.1:8001")));
        for (int i = 0; i < 200; i++) {
            apply(new Command.PutKey("k/" + i, utf8("v" + i), null, false));
        }
        apply(new Command.PutArtifact("f/1", "b".repeat(64), 10, "n1", null, false));
        apply(new Command.PutArtifact("f/2", "c".repeat(64), 10, "n1", null, false));
        long lease = ((CommandResult.LeaseGranted) apply(new Command.GrantLease(60_000))).leaseId();
        long otherLease = ((CommandResult.LeaseGranted) apply(new Command.GrantLease(30_000))).leaseId();
        apply(new Command.Txn(List.of(), List.of(new TxnOp.Put("leased/1", utf8("a"), lease),
                new TxnOp.Put("leased/2", utf8("b"), lease), new TxnOp.Put("leased/3", utf8("c"), otherLease)),
                List.of()));
        apply(new Command.PutApiToken(new ApiTokenRecord("0123456789ab", "ci", new byte[32], List.of("admin"), 1)));
        apply(new Command.PutJoinToken(new JoinTokenRecord("aaaaaaaaaaaa", new byte[JoinTokenRecord.SALT_BYTES],
                10_000, new byte[JoinTokenRecord.KEY_BYTES], 1_700_000_000_000L, 1_700_003_600_000L, 3, List.of())));
        apply(new Command.BarIncarnations(List.of("n9~00ff00ff00ff00ff")));
        byte[] expected = state.snapshot();
        FrozenState captured = state.capture();
        long capturedAt = index;

        for (int i = 0; i < 200; i += 3) {
            apply(new Command.DeleteKey("k/" + i, null));
            apply(new Command.PutKey("k/" + (i + 1), utf8("changed"), null, false));
        }
        apply(new Command.PutKey("new", utf8("x"), null, false));
        apply(new Command.DeleteArtifactPrefix("f/"));
        apply(new Command.SetMember(new Member("n2", "127.0.0.1:7002", "http://127.0.0.1:8002")));
        apply(new Command.SetRoots(new byte[] {9}));
        apply(new Command.Txn(List.of(), List.of(new TxnOp.Put("leased/1", utf8("moved"), otherLease),
                new TxnOp.Put("leased/4", utf8("d"), lease), new TxnOp.Delete("leased/2")), List.of()));
        apply(new Command.RevokeLease(otherLease, false));
        apply(new Command.GrantLease(10_000));
        apply(new Command.RevokeApiToken("0123456789ab"));
        apply(new Command.UseJoinToken("aaaaaaaaaaaa", 1_700_000_000_001L, "n4~00ff00ff00ff00ff"));
        apply(new Command.RevokeJoinToken("aaaaaaaaaaaa"));
        apply(new Command.BarIncarnations(List.of("n8~00ff00ff00ff00ff")));
        assertThat(state.snapshot()).isNotEqualTo(expected);

        assertThat(captured.appliedIndex()).isEqualTo(capturedAt);
        assertThat(captured.encode()).isEqualTo(expected);
        ClusterState other = new ClusterState();
        other.restore(expected);
        FrozenState beforeRestore = other.capture();
        other.restore(state.snapshot());
        assertThat(beforeRestore.encode()).as("a restore does not change a capture either").isEqualTo(expected);
    }

    @Test
    void applyingAnOldIndexStopsLoudly() {
        apply(new Command.PutKey("k", utf8("1"), null, false));
        assertThatThrownBy(() -> state.apply(1, new Command.PutKey("k", utf8("2"), null, false)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(state.document("k").value()).isEqualTo(utf8("1"));
    }

    @Test
    void deletePrefixRemovesATreeAndTellsListenersAfterUnlocking() throws Exception {
        AtomicReference<List<ArtifactRecord>> removed = new AtomicReference<>();
        state.addArtifactListener(new ClusterState.ArtifactListener() {
            @Override
            public void published(ArtifactRecord artifact) {
                // A listener that reads the state from another thread must not wait for the apply's lock.
                CompletableFuture<ArtifactRecord> read = CompletableFuture.supplyAsync(() -> state.artifact(artifact.path()));
                try {
                    assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(artifact);
                } catch (Exception e) {
                    throw new AssertionError("listener blocked on the state lock", e);
                }
            }

            @Override
            public void removed(List<ArtifactRecord> gone) {
                removed.set(gone);
            }

            @Override
            public void restored() {
            }
        });
        String etag = "a".repeat(64);
        for (String p : List.of("d/x", "d/y/z", "dz", "e")) {
            apply(new Command.PutArtifact(p, etag, 3, "n1", null, false));
        }
        var result = (CommandResult.Deleted) apply(new Command.DeleteArtifactPrefix("d/"));
        assertThat(result.count()).isEqualTo(2);
        assertThat(removed.get()).extracting(ArtifactRecord::path).containsExactly("d/x", "d/y/z");
        assertThat(state.listArtifacts("", null, 10)).extracting(ArtifactRecord::path).containsExactly("dz", "e");
    }

    @Test
    void aConditionalRootChangeAppliesOnlyOverTheRootsItWasBasedOn() {
        byte[] first = {1, 2, 3};
        assertThat(apply(Command.SetRoots.replacing(new byte[0], first))).isInstanceOf(CommandResult.Done.class);
        // A rotation read {1,2,3}; a revocation then replaced them; the rotation's list, made from the old
        // roots, must not land and bring back what the revocation dropped.
        byte[] revoked = {9};
        assertThat(apply(Command.SetRoots.replacing(first, revoked))).isInstanceOf(CommandResult.Done.class);
        CommandResult stale = apply(Command.SetRoots.replacing(first, new byte[] {1, 2, 3, 4}));
        assertThat(stale).isInstanceOf(CommandResult.PreconditionFailed.class);
        assertThat(state.roots()).containsExactly(9);
        // An unconditional one (older nodes' format, the seed) still applies.
        assertThat(apply(new Command.SetRoots(new byte[] {7}))).isInstanceOf(CommandResult.Done.class);
        assertThat(state.roots()).containsExactly(7);
    }

    @Test
    void snapshotRestoresTheSameStateAndIsDeterministic() {
        apply(new Command.SetRoots(new byte[] {1, 2, 3}));
        apply(new Command.SetMember(new Member("n1", "127.0.0.1:7001", "http://127.0.0.1:8001")));
        apply(new Command.PutKey("x", utf8("y"), null, false));
        apply(new Command.PutArtifact("f", "b".repeat(64), 10, "n1", null, false));
        byte[] image = state.snapshot();

        ClusterState copy = new ClusterState();
        copy.restore(image);
        assertThat(copy.snapshot()).isEqualTo(image);
        assertThat(copy.appliedIndex()).isEqualTo(4);
        assertThat(copy.roots()).containsExactly(1, 2, 3);
        assertThat(copy.document("x")).isEqualTo(state.document("x"));
        assertThat(copy.members()).isEqualTo(state.members());
    }

    @Test
    void corruptSnapshotLeavesTheStateUntouched() {
        apply(new Command.PutKey("x", utf8("y"), null, false));
        byte[] image = state.snapshot();
        byte[] truncated = java.util.Arrays.copyOf(image, image.length - 3);
        assertThatThrownBy(() -> state.restore(truncated)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("truncated");
        assertThat(state.document("x")).isNotNull();
        assertThat(state.appliedIndex()).isEqualTo(1);
    }
}
