package dev.ratchet.bench.ratis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A Ratis state machine holding a key → bytes map: committed PUT entries are applied in log order,
 * reads ({@link #query}) answer the current value, or an empty message for an absent key.
 *
 * <p>Ratis calls {@link #applyTransaction} from its single state-machine updater thread and
 * {@link #query}/{@code queryStale} from RPC threads, hence the concurrent map. No snapshots are
 * taken (Ratis' default: auto-trigger off), so the map lives as long as the peer process; each
 * benchmark run starts on a fresh storage directory. A malformed entry or query completes its future
 * exceptionally and changes nothing.
 */
public final class KvStateMachine extends BaseStateMachine {

    /** Bounds the map so a runaway writer cannot exhaust the peer's heap. */
    static final int MAX_KEYS = 1_000_000;

    private final ConcurrentHashMap<String, ByteString> values = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        try {
            KvCommands.Put put = KvCommands.decodePut(entry.getStateMachineLogEntry().getLogData());
            if (values.size() >= MAX_KEYS && !values.containsKey(put.key())) {
                throw new IllegalStateException("state machine holds " + MAX_KEYS + " keys, refusing " + put.key());
            }
            values.put(put.key(), put.value());
            return CompletableFuture.completedFuture(Message.EMPTY);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            // The entry is consumed either way: a refused command must not stall the applied index.
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            ByteString value = values.get(KvCommands.decodeGet(request.getContent()));
            return CompletableFuture.completedFuture(value == null ? Message.EMPTY : Message.valueOf(value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
