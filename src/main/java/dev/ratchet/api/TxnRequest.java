package dev.ratchet.api;

import dev.ratchet.state.Command;
import dev.ratchet.state.KeyPaths;
import dev.ratchet.state.TxnCompare;
import dev.ratchet.state.TxnOp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON body of {@code POST /api/v1/txn}, and its translation into a {@link Command.Txn} with every
 * field checked: a body that is not exactly one of the documented shapes is refused with a message that
 * names the offending entry.
 */
record TxnRequest(List<CompareBody> compare, List<OpBody> success, List<OpBody> failure) {

    /** One compare: {@code key} and exactly one of {@code etag}, {@code revision}, {@code exists}. */
    record CompareBody(String key, String etag, Long revision, Boolean exists) {
    }

    /** One operation: exactly one of {@code put} and {@code delete}. */
    record OpBody(PutBody put, DeleteBody delete) {
    }

    /** {@code value} is base64 (RFC 4648, standard alphabet); {@code lease} optional. */
    record PutBody(String key, String value, Long lease) {
    }

    record DeleteBody(String key) {
    }

    /**
     * @param maxValueBytes the most value bytes all puts together may carry
     * @throws BadRequestException if the body is malformed or over a limit
     */
    Command.Txn toCommand(long maxValueBytes) {
        List<CompareBody> compares = compare == null ? List.of() : compare;
        if (compares.size() > Command.MAX_TXN_ITEMS) {
            throw new BadRequestException("a transaction compares at most " + Command.MAX_TXN_ITEMS + " keys, not "
                    + compares.size());
        }
        List<TxnCompare> checked = new ArrayList<>(compares.size());
        for (int i = 0; i < compares.size(); i++) {
            checked.add(compareAt(i, compares.get(i)));
        }
        long[] valueBytes = {0};
        List<TxnOp> ok = ops("success", success, valueBytes);
        List<TxnOp> otherwise = ops("failure", failure, valueBytes);
        if (valueBytes[0] > maxValueBytes) {
            throw new PayloadTooLargeException("the transaction's values take " + valueBytes[0]
                    + " bytes, over the limit of " + maxValueBytes + " bytes (ratchet.api.max-value-size)");
        }
        try {
            return new Command.Txn(checked, ok, otherwise);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static TxnCompare compareAt(int i, CompareBody c) {
        String where = "compare[" + i + "]";
        if (c == null) {
            throw new BadRequestException(where + " is null");
        }
        String key = key(where, c.key());
        int kinds = (c.etag() != null ? 1 : 0) + (c.revision() != null ? 1 : 0) + (c.exists() != null ? 1 : 0);
        if (kinds != 1) {
            throw new BadRequestException(where + " needs exactly one of etag, revision, exists (it has " + kinds + ")");
        }
        try {
            if (c.etag() != null) {
                return new TxnCompare.Etag(key, unquote(c.etag()));
            }
            if (c.revision() != null) {
                return new TxnCompare.Revision(key, c.revision());
            }
            return new TxnCompare.Exists(key, c.exists());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(where + ": " + e.getMessage());
        }
    }

    private static List<TxnOp> ops(String branch, List<OpBody> bodies, long[] valueBytes) {
        if (bodies == null) {
            return List.of();
        }
        if (bodies.size() > Command.MAX_TXN_ITEMS) {
            throw new BadRequestException("the " + branch + " branch has " + bodies.size() + " operations, more than "
                    + Command.MAX_TXN_ITEMS);
        }
        List<TxnOp> ops = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            String where = branch + "[" + i + "]";
            OpBody op = bodies.get(i);
            if (op == null || (op.put() == null) == (op.delete() == null)) {
                throw new BadRequestException(where + " needs exactly one of put, delete");
            }
            if (op.put() != null) {
                PutBody p = op.put();
                if (p.value() == null) {
                    throw new BadRequestException(where + ".put needs a base64 value (\"\" for an empty one)");
                }
                byte[] value;
                try {
                    value = Base64.getDecoder().decode(p.value());
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException(where + ".put.value is not base64: " + e.getMessage());
                }
                long lease = p.lease() == null ? 0 : p.lease();
                if (lease < 0) {
                    throw new BadRequestException(where + ".put.lease must be a lease id (>= 1) or 0 for none");
                }
                valueBytes[0] += value.length;
                ops.add(new TxnOp.Put(key(where + ".put", p.key()), value, lease));
            } else {
                ops.add(new TxnOp.Delete(key(where + ".delete", op.delete().key())));
            }
        }
        return ops;
    }

    /** Accepts an etag as the ETag header shows it (quoted) or as the JSON answers give it (bare). */
    private static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String key(String where, String key) {
        if (key == null) {
            throw new BadRequestException(where + " needs a key");
        }
        try {
            return KeyPaths.requireValid(key);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(where + ": " + e.getMessage());
        }
    }
}
