package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Transactions, plain writes and leases applied to {@link ClusterState} agree, step by step, with a
 * sequential model written independently here: the same branch runs, the same etags and revisions come
 * back, the same documents remain, the change history holds exactly the model's changes, and a snapshot
 * restores the same documents and leases.
 */
class TxnModelPropertiesTest {

    private static final String[] KEYS = {"a", "b", "c", "d/x", "d/y"};

    /** The model: a sorted map of key to (value, createRevision, modRevision, lease). */
    record Doc(byte[] value, long created, long modified, long lease) {
        String etag() {
            return Etags.forDocument(modified, value);
        }
    }

    private final TreeMap<String, Doc> model = new TreeMap<>();
    private final Map<Long, Long> modelLeases = new HashMap<>();
    private final List<String> modelChanges = new ArrayList<>();

    @Property(tries = 200)
    void clusterStateMatchesTheSequentialModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int steps) {
        model.clear();
        modelLeases.clear();
        modelChanges.clear();
        Random random = new Random(seed);
        ClusterState state = new ClusterState();
        for (long index = 1; index <= steps; index++) {
            Command command = randomCommand(random);
            CommandResult actual = state.apply(index, command);
            CommandResult expected = modelApply(index, command);
            assertThat(actual).as("step %d: %s", index, command).isEqualTo(expected);
            assertSameDocuments(state);
        }
        List<String> recorded = new ArrayList<>();
        for (ChangeBatch b : state.history().read(1, "", Integer.MAX_VALUE).batches()) {
            b.changes().forEach(c -> recorded.add(describe(c.type(), c.key(), c.modRevision())));
        }
        assertThat(recorded).isEqualTo(modelChanges);

        ClusterState restored = new ClusterState();
        restored.restore(state.snapshot());
        assertSameDocuments(restored);
        assertThat(restored.leases()).isEqualTo(state.leases());
        assertThat(restored.snapshot()).isEqualTo(state.snapshot());
    }

    private void assertSameDocuments(ClusterState state) {
        List<Document> docs = state.listDocuments("", null, 100);
        assertThat(docs.stream().map(Document::key).toList()).isEqualTo(new ArrayList<>(model.keySet()));
        for (Document d : docs) {
            Doc m = model.get(d.key());
            assertThat(d.value()).isEqualTo(m.value());
            assertThat(d.modRevision()).isEqualTo(m.modified());
            assertThat(d.createRevision()).isEqualTo(m.created());
            assertThat(state.leaseOf(d.key())).isEqualTo(m.lease());
        }
    }

    private Command randomCommand(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return new Command.PutKey(key(r), value(r), null, false);
            case 1:
                return new Command.DeleteKey(key(r), null);
            case 2:
                return new Command.GrantLease(1 + r.nextInt(10_000));
            case 3:
                return new Command.RevokeLease(leaseId(r), r.nextBoolean());
            default:
                return randomTxn(r);
        }
    }

    private Command.Txn randomTxn(Random r) {
        List<TxnCompare> compares = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String key = key(r);
            Doc current = model.get(key);
            switch (r.nextInt(3)) {
                case 0 -> compares.add(new TxnCompare.Etag(key, current != null && r.nextInt(4) > 0 ? current.etag()
                        : "0-stale"));
                case 1 -> compares.add(new TxnCompare.Revision(key, r.nextInt(4) > 0
                        ? (current == null ? 0 : current.modified()) : r.nextInt(5)));
                default -> compares.add(new TxnCompare.Exists(key, r.nextInt(4) > 0 ? current != null : current == null));
            }
        }
        return new Command.Txn(compares, ops(r), ops(r));
    }

    private List<TxnOp> ops(Random r) {
        List<String> keys = new ArrayList<>(Arrays.asList(KEYS));
        java.util.Collections.shuffle(keys, r);
        List<TxnOp> ops = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String key = keys.remove(0);
            long lease = r.nextInt(3) == 0 ? leaseId(r) : 0;
            ops.add(r.nextBoolean() ? new TxnOp.Put(key, value(r), lease) : new TxnOp.Delete(key));
        }
        return ops;
    }

    private long leaseId(Random r) {
        List<Long> ids = new ArrayList<>(modelLeases.keySet());
        // Mostly live leases, sometimes one that never existed.
        return ids.isEmpty() || r.nextInt(5) == 0 ? 1 + r.nextInt(60) : ids.get(r.nextInt(ids.size()));
    }

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static byte[] value(Random r) {
        byte[] v = new byte[r.nextInt(5)];
        r.nextBytes(v);
        return v;
    }

    // ---- the model, written from the API's contract without looking at ClusterState ----

    private CommandResult modelApply(long rev, Command command) {
        if (command instanceof Command.PutKey p) {
            put(rev, p.key(), p.value(), 0);
            return new CommandResult.Written(rev, model.get(p.key()).etag());
        }
        if (command instanceof Command.DeleteKey d) {
            return delete(rev, d.key(), Change.Type.DELETE) ? new CommandResult.Deleted(rev, 1) : new CommandResult.NotFound();
        }
        if (command instanceof Command.GrantLease g) {
            modelLeases.put(rev, g.ttlMillis());
            return new CommandResult.LeaseGranted(rev, rev, g.ttlMillis());
        }
        if (command instanceof Command.RevokeLease v) {
            if (modelLeases.remove(v.leaseId()) == null) {
                return new CommandResult.LeaseNotFound(v.leaseId());
            }
            List<String> held = model.entrySet().stream().filter(e -> e.getValue().lease() == v.leaseId())
                    .map(Map.Entry::getKey).toList();
            held.forEach(k -> delete(rev, k, v.expired() ? Change.Type.EXPIRE : Change.Type.DELETE));
            return new CommandResult.Deleted(rev, held.size());
        }
        Command.Txn t = (Command.Txn) command;
        boolean ok = t.compares().stream().allMatch(c -> modelHolds(c, model.get(c.key())));
        List<TxnOp> branch = ok ? t.success() : t.failure();
        for (TxnOp op : branch) {
            if (op instanceof TxnOp.Put p && p.lease() != 0 && !modelLeases.containsKey(p.lease())) {
                return new CommandResult.LeaseNotFound(p.lease());
            }
        }
        List<TxnOpResult> results = new ArrayList<>();
        for (TxnOp op : branch) {
            if (op instanceof TxnOp.Put p) {
                boolean created = !model.containsKey(p.key());
                put(rev, p.key(), p.value(), p.lease());
                results.add(new TxnOpResult(p.key(), model.get(p.key()).etag(), rev, 0, created));
            } else {
                results.add(new TxnOpResult(op.key(), null, rev, delete(rev, op.key(), Change.Type.DELETE) ? 1 : 0, false));
            }
        }
        return new CommandResult.TxnDone(rev, ok, results);
    }

    private static boolean modelHolds(TxnCompare c, Doc current) {
        if (c instanceof TxnCompare.Etag e) {
            return current != null && current.etag().equals(e.etag());
        }
        if (c instanceof TxnCompare.Revision v) {
            return v.revision() == (current == null ? 0 : current.modified());
        }
        return ((TxnCompare.Exists) c).exists() == (current != null);
    }

    private void put(long rev, String key, byte[] value, long lease) {
        Doc old = model.get(key);
        model.put(key, new Doc(value, old == null ? rev : old.created(), rev, lease));
        modelChanges.add(describe(Change.Type.PUT, key, rev));
    }

    private boolean delete(long rev, String key, Change.Type why) {
        if (model.remove(key) == null) {
            return false;
        }
        modelChanges.add(describe(why, key, rev));
        return true;
    }

    private static String describe(Change.Type type, String key, long rev) {
        return type + " " + key + " @" + rev;
    }
}
