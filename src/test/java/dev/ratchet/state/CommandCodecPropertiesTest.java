package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CommandCodecPropertiesTest {

    @Property(tries = 500)
    void everyProposalRoundTrips(@ForAll("proposals") Proposal proposal) {
        assertThat(CommandCodec.decode(CommandCodec.encode(proposal))).isEqualTo(proposal);
    }

    @Property(tries = 1000)
    void junkIsRefusedWithAClearError(@ForAll @Size(max = 200) byte[] junk) {
        try {
            CommandCodec.decode(junk);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void everyTruncationIsRefused(@ForAll("proposals") Proposal proposal, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        byte[] full = CommandCodec.encode(proposal);
        byte[] truncated = java.util.Arrays.copyOf(full, Math.max(0, full.length - Math.min(cut, full.length)));
        assertThatThrownBy(() -> CommandCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void everyResultRoundTrips(@ForAll("results") CommandResult result, @ForAll @IntRange(min = 0) int index) {
        assertThat(CommandResultCodec.decode(CommandResultCodec.encode(index, result)))
                .isEqualTo(new CommandResultCodec.Applied(index, result));
    }

    @Provide
    Arbitrary<CommandResult> results() {
        Arbitrary<Long> revisions = Arbitraries.longs().greaterOrEqual(0);
        return Arbitraries.oneOf(
                Combinators.combine(revisions, Arbitraries.strings().alpha().ofMaxLength(30)).as(CommandResult.Written::new),
                Combinators.combine(revisions, Arbitraries.integers().greaterOrEqual(0)).as(CommandResult.Deleted::new),
                Arbitraries.strings().alpha().ofMaxLength(30).injectNull(0.3).map(CommandResult.PreconditionFailed::new),
                Arbitraries.just(new CommandResult.NotFound()),
                revisions.map(CommandResult.Done::new),
                Combinators.combine(revisions, Arbitraries.of(true, false),
                        Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                                Arbitraries.strings().alpha().ofMaxLength(20).injectNull(0.5), revisions,
                                Arbitraries.integers().between(0, 1), Arbitraries.of(true, false)).as(TxnOpResult::new)
                                .list().ofMaxSize(5))
                        .as(CommandResult.TxnDone::new),
                Combinators.combine(revisions, revisions, revisions).as(CommandResult.LeaseGranted::new),
                revisions.map(CommandResult.LeaseNotFound::new));
    }

    private static Arbitrary<Command> txns(Arbitrary<String> paths, Arbitrary<byte[]> values) {
        Arbitrary<TxnCompare> compares = Arbitraries.oneOf(
                Combinators.combine(paths, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)).as(TxnCompare.Etag::new),
                Combinators.combine(paths, Arbitraries.longs().greaterOrEqual(0)).as(TxnCompare.Revision::new),
                Combinators.combine(paths, Arbitraries.of(true, false)).as(TxnCompare.Exists::new));
        Arbitrary<TxnOp> ops = Arbitraries.oneOf(
                Combinators.combine(paths, values, Arbitraries.longs().greaterOrEqual(0)).as(TxnOp.Put::new),
                paths.map(TxnOp.Delete::new));
        Arbitrary<java.util.List<TxnOp>> branch = ops.list().ofMaxSize(4).uniqueElements(TxnOp::key);
        return Combinators.combine(compares.list().ofMaxSize(4), branch, branch).as(Command.Txn::new);
    }

    @Provide
    Arbitrary<Proposal> proposals() {
        Arbitrary<String> paths = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<String> etags = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<String> maybeEtag = Arbitraries.strings().alpha().ofMaxLength(20).injectNull(0.5);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(10);
        Arbitrary<Command> commands = Arbitraries.oneOf(
                Combinators.combine(paths, values, maybeEtag).as((p, v, e) -> new Command.PutKey(p, v, e, false)),
                Combinators.combine(paths, values).as((p, v) -> new Command.PutKey(p, v, null, true)),
                Combinators.combine(paths, maybeEtag).as(Command.DeleteKey::new),
                values.map(Command.SetRoots::new),
                Combinators.combine(values, values).as(Command.SetRoots::replacing),
                ids.map(id -> new Command.SetMember(new Member(id, "127.0.0.1:7000", "http://127.0.0.1:8080"))),
                ids.map(Command.RemoveMember::new),
                ids.map(Command.SetClusterId::new),
                Combinators.combine(paths, etags, Arbitraries.longs().greaterOrEqual(0), ids, maybeEtag)
                        .as((p, e, s, h, m) -> new Command.PutArtifact(p, e, s, h, m, false)),
                Combinators.combine(paths, maybeEtag).as(Command.DeleteArtifact::new),
                paths.map(p -> new Command.DeleteArtifactPrefix(p + "/")),
                txns(paths, values),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(Command.GrantLease::new),
                Arbitraries.longs().between(1, Long.MAX_VALUE).map(Command.KeepAliveLease::new),
                Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(true, false))
                        .as(Command.RevokeLease::new));
        return Combinators.combine(ids, Arbitraries.longs(), commands).as(Proposal::new);
    }
}
