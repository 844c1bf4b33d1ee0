/**
 * The Raft consensus core: a pure, deterministic state machine.
 *
 * <p>Messages, ticks and proposals go in; messages to send, entries to persist and committed entries
 * to apply come out, batched in a {@code Ready}. Nothing in this package starts a thread, opens a
 * socket or a file, reads a clock or depends on Spring: a driver outside it does all I/O. That is what
 * lets the simulator in the tests run thousands of seeded, reproducible clusters per minute.
 */
package dev.ratchet.raft;
