package dev.ratchet.raft.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client operation on the simulated key/value store. Writes travel through the log as commands tagged
 * with a unique operation id; reads go through ReadIndex and never enter the log.
 *
 * @param expected for CAS: the value required ({@code null}: the key must be absent)
 */
record KvOp(Kind kind, String key, String value, String expected) {

    enum Kind { GET, PUT, DELETE, CAS }

    boolean isRead() {
        return kind == Kind.GET;
    }

    /** The answer to an operation: the value read (GET), or whether a CAS swapped. */
    record Result(String value, boolean swapped) { }

    byte[] encodeCommand(long opId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(opId);
            out.writeByte(kind.ordinal());
            out.writeUTF(key);
            writeNullable(out, value);
            writeNullable(out, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    record Command(long opId, KvOp op) { }

    static Command decodeCommand(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            long opId = in.readLong();
            Kind kind = Kind.values()[in.readByte()];
            String key = in.readUTF();
            return new Command(opId, new KvOp(kind, key, readNullable(in), readNullable(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
