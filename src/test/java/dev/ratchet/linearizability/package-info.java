/**
 * A linearizability checker for recorded client histories (test code).
 *
 * <p>Clients record every operation in a {@link dev.ratchet.linearizability.History}: when they invoke
 * it, and either when it completed with which output or that its outcome is unknown. The
 * {@link dev.ratchet.linearizability.LinearizabilityChecker} then searches for a single order of the
 * operations that respects real time and that a sequential {@link dev.ratchet.linearizability.Model}
 * accepts (Wing &amp; Gong's algorithm with Lowe's memoisation, as Porcupine and Knossos do), checking
 * each partition of the history (for a key/value store: each key) on its own.
 *
 * <p>Used by the Raft simulator and by multi-process failover tests.
 */
package dev.ratchet.linearizability;
