package dev.ratchet.bench;

/** What a load window's clients do; {@link #jsonName()} is the name in result rows (bench-schema.md). */
public enum Workload {
    /** PUT of a fresh value to {@code c<client>-<i mod 1000>}, sent to the leader. */
    WRITE("write"),
    /**
     * The same PUTs spread over every node, as clients behind a Service reach the cluster: two thirds of
     * them land on followers, which forward them to the leader (issue 14).
     */
    WRITE_SPREAD("write-spread"),
    /** GET with a read-index barrier, sent to the leader. */
    READ_LINEARIZABLE("read-linearizable"),
    /** GET {@code ?stale=true}, spread over every node. */
    READ_STALE("read-stale");

    private final String jsonName;

    Workload(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The workload with this result-row name; {@link IllegalArgumentException} naming the known ones if none. */
    public static Workload named(String name) {
        for (Workload w : values()) {
            if (w.jsonName.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("workloads: unknown workload '" + name
                + "'; known: write, write-spread, read-linearizable, read-stale");
    }
}
