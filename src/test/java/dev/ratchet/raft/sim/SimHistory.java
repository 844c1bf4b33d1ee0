package dev.ratchet.raft.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated clients observed, in the shape of the linearizability checker's {@code History}:
 * invocations, completions and unknown outcomes, recorded in simulated time order so they can be replayed
 * into the checker.
 */
final class SimHistory {

    /** One recorded event; {@code result} is null for invocations and unknown outcomes. */
    record Event(Type type, int opId, int clientId, KvOp op, KvOp.Result result, long time) { }

    enum Type { INVOKE, OK, INFO }

    private final List<Event> events = new ArrayList<>();
    private int nextOpId;
    int oks;
    int infos;

    int invoke(int clientId, KvOp op, long time) {
        int id = nextOpId++;
        events.add(new Event(Type.INVOKE, id, clientId, op, null, time));
        return id;
    }

    void ok(int opId, KvOp.Result result, long time) {
        oks++;
        events.add(new Event(Type.OK, opId, -1, null, result, time));
    }

    void info(int opId, long time) {
        infos++;
        events.add(new Event(Type.INFO, opId, -1, null, null, time));
    }

    List<Event> events() {
        return events;
    }

    int size() {
        return nextOpId;
    }
}
