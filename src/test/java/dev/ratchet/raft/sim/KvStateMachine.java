package dev.ratchet.raft.sim;

import dev.ratchet.raft.ConfChange;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The replicated key/value state machine of the simulation; also tracks the membership at its applied index. */
final class KvStateMachine {

    private final TreeMap<String, String> data = new TreeMap<>();
    private ConfState conf = ConfState.EMPTY;
    private long appliedIndex;
    private long appliedTerm;

    static KvStateMachine restore(Snapshot snapshot) {
        KvStateMachine sm = new KvStateMachine();
        sm.appliedIndex = snapshot.metadata().index();
        sm.appliedTerm = snapshot.metadata().term();
        sm.conf = snapshot.metadata().conf();
        if (snapshot.data().length > 0) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.data()))) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    sm.data.put(in.readUTF(), in.readUTF());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sm;
    }

    /** The data as of now, frozen (a copy), and encoded when the returned supplier is called, as late as it likes. */
    Supplier<byte[]> capture() {
        Map<String, String> frozen = new TreeMap<>(data);
        return () -> encode(frozen);
    }

    private static byte[] encode(Map<String, String> data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(data.size());
            for (Map.Entry<String, String> e : data.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Applies one committed entry; returns the command and its result, or null for other entry types. */
    Applied apply(Entry e) {
        if (e.index() != appliedIndex + 1) {
            throw new AssertionError("apply " + e.index() + " after " + appliedIndex);
        }
        appliedIndex = e.index();
        appliedTerm = e.term();
        if (e.type() == EntryType.CONF_CHANGE) {
            conf = ConfChange.applyEntry(conf, e.data());
            return null;
        }
        if (e.type() != EntryType.COMMAND) {
            return null;
        }
        KvOp.Command cmd = KvOp.decodeCommand(e.data());
        KvOp op = cmd.op();
        KvOp.Result result = switch (op.kind()) {
            case PUT -> {
                data.put(op.key(), op.value());
                yield new KvOp.Result(null, false);
            }
            case DELETE -> {
                data.remove(op.key());
                yield new KvOp.Result(null, false);
            }
            case CAS -> {
                boolean match = java.util.Objects.equals(data.get(op.key()), op.expected());
                if (match) {
                    data.put(op.key(), op.value());
                }
                yield new KvOp.Result(null, match);
            }
            case GET -> throw new AssertionError("reads never enter the log");
        };
        return new Applied(cmd.opId(), result);
    }

    record Applied(long opId, KvOp.Result result) { }

    String get(String key) {
        return data.get(key);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long appliedTerm() {
        return appliedTerm;
    }

    ConfState conf() {
        return conf;
    }

    long stateHash() {
        return data.hashCode() * 31L + conf.hashCode();
    }
}
