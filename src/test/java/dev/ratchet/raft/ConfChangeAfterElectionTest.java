package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The single-server membership change rule with changes that take effect on append: a leader accepts a
 * change only once an entry of its own term has committed (Ongaro, raft-dev, "bug in single-server
 * membership changes", July 2015; thesis §4.1 as corrected there).
 */
class ConfChangeAfterElectionTest {

    private static final ConfChange ADD_N5 = new ConfChange(ConfChange.Type.ADD_VOTER, "n5");
    private static final ConfChange ADD_N6 = new ConfChange(ConfChange.Type.ADD_VOTER, "n6");

    /** A new leader refuses a change while its no-op is uncommitted and accepts it once the no-op commits. */
    @Test
    void newLeaderRefusesAChangeUntilItsNoOpCommits() {
        TestCluster c = TestCluster.of(3);
        c.campaignUntilLeader("n1", 100);
        RaftCore n1 = c.core("n1");
        long noop = n1.status().lastIndex();
        assertThat(n1.commitIndex()).isLessThan(noop);

        assertThatThrownBy(() -> n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4")))
                .isInstanceOf(ProposalDroppedException.class)
                .hasMessageContaining("no entry of term " + n1.term() + " has committed");
        assertThat(n1.status().lastIndex()).isEqualTo(noop);

        c.stabilize();
        assertThat(n1.commitIndex()).isEqualTo(noop);
        long index = n1.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, "n4"));
        assertThat(index).isEqualTo(noop + 1);
    }

    /**
     * Ongaro's counter-example on an even-sized configuration {n1..n4}: with the rule, the second leader
     * cannot append its change, and no two nodes ever commit different entries at one index.
     */
    @Test
    void evenSizedConfigurationNeverCommitsConflictingEntries() {
        Outcome o = runOngaroScenario(false);
        assertThat(o.secondLeaderAccepted()).isFalse();
        assertThat(o.firstConflict()).isNull();
        // n1's change (n5 joins) is the one that survives, committed by n1, n4 and n5.
        assertThat(o.cluster().core("n1").status().conf().voters()).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    /** The same scenario with the planted switch: the unsafe outcome happens, so the test above can fail. */
    @Test
    void plantedSwitchRecreatesTheConflictingCommits() {
        Outcome o = runOngaroScenario(true);
        assertThat(o.secondLeaderAccepted()).isTrue();
        assertThat(o.firstConflict()).isNotNull();
    }

    private record Outcome(TestCluster cluster, boolean secondLeaderAccepted, String firstConflict) {
    }

    private static Outcome runOngaroScenario(boolean planted) {
        // No pre-vote and no check-quorum: the counter-example needs only the basic election rules of §5.2.
        TestCluster c = TestCluster.of(4, cfg -> cfg.withFeatures(false, false, false).withPlantedEarlyConfChangeBug(planted));
        c.elect("n1");

        // 1. n1's term: n1 appends "add n5"; it reaches n5 only, so it does not commit (n1, n5 of five).
        c.isolate("n1");
        c.add("n5", new MemoryStorage());
        c.core("n1").proposeConfChange(ADD_N5);
        c.stabilize();
        long changeIndex = c.core("n1").status().lastIndex();
        assertThat(c.storages.get("n5").lastIndex()).isEqualTo(changeIndex);
        assertThat(c.core("n1").commitIndex()).isLessThan(changeIndex);

        // 2. The next term: n2 is elected by n2, n3, n4 (three of the old four); then it loses n4 at once.
        c.campaignUntilLeader("n2", 100);
        c.cut("n2", "n4");
        c.cut("n4", "n2");
        boolean accepted;
        try {
            c.core("n2").proposeConfChange(ADD_N6);
            accepted = true;
        } catch (ProposalDroppedException e) {
            accepted = false;
        }
        c.add("n6", new MemoryStorage());
        c.stabilize();

        // 3. A later term: n1 comes back on the other side of a split and is elected by n1, n4, n5.
        c.heal();
        c.split(List.of("n1", "n4", "n5"), List.of("n2", "n3", "n6"));
        // n1 still believes it leads its old term; n4's own campaign (which n1 rejects) tells it otherwise.
        for (int i = 0; i < 40 && c.core("n1").role() == Role.LEADER; i++) {
            c.tick("n4", 1);
            c.stabilize();
        }
        assertThat(c.core("n1").role()).isEqualTo(Role.FOLLOWER);
        c.campaignUntilLeader("n1", 200);
        c.stabilize();
        return new Outcome(c, accepted, firstConflict(c));
    }

    /** Log matching over what was applied: two nodes must agree on every index both have committed. */
    private static String firstConflict(TestCluster c) {
        List<String> ids = new ArrayList<>(c.cores.keySet());
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                List<Entry> a = c.applied.get(ids.get(i));
                List<Entry> b = c.applied.get(ids.get(j));
                for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
                    Entry x = a.get(k);
                    Entry y = b.get(k);
                    if (x.index() != y.index() || x.term() != y.term()) {
                        return ids.get(i) + " applied " + x.index() + "@" + x.term() + " where " + ids.get(j) + " applied "
                                + y.index() + "@" + y.term();
                    }
                }
            }
        }
        return null;
    }
}
