package dev.ratchet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A directory that recorded its cluster id finds out, before joining, whether its seeds run another cluster. */
class ClusterIdCheckTest {

    static final URI A = URI.create("http://a:8080");
    static final URI B = URI.create("http://b:8080");
    final BootstrapProbe probe = new BootstrapProbe("join-token-0123456789");
    final Map<URI, BootstrapProbe.Answer> answers = new HashMap<>();

    private Optional<String> check(String recorded) throws InterruptedException {
        return ClusterIdCheck.foreign(recorded, List.of(A, B), seed -> Optional.ofNullable(answers.get(seed)));
    }

    @Test
    void seedsOfTheSameClusterPass() throws InterruptedException {
        answers.put(A, probe.answer("n", "n2", BootstrapProbe.State.MEMBER, "ours"));
        answers.put(B, probe.answer("n", "n3", BootstrapProbe.State.MEMBER, "ours"));
        assertThat(check("ours")).isEmpty();
    }

    @Test
    void aSeedOfAnotherClusterIsNamed() throws InterruptedException {
        answers.put(A, probe.answer("n", "n2", BootstrapProbe.State.MEMBER, "ours"));
        answers.put(B, probe.answer("n", "n9", BootstrapProbe.State.MEMBER, "theirs"));
        assertThat(check("ours")).contains("seed http://b:8080 (node n9) is a member of cluster theirs");
    }

    @Test
    void silentFreshAndNotYetNamedSeedsProveNothing() throws InterruptedException {
        answers.put(A, probe.answer("n", "n2", BootstrapProbe.State.FRESH, ""));
        answers.put(B, probe.answer("n", "n3", BootstrapProbe.State.MEMBER, ""));
        assertThat(check("ours")).isEmpty();
        answers.clear();
        assertThat(check("ours")).isEmpty();
    }
}
