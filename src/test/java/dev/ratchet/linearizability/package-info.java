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
 * <pre>{@code
 * History<KvInput, KvOutput> history = new History<>();
 * int op = history.invoke(clientId, new KvInput.Put("k", "v1"), clock.now());
 * try {
 *     client.put("k", "v1");
 *     history.ok(op, KvOutput.ack(), clock.now());
 * } catch (TimeoutException | ConnectionLostException e) {
 *     history.info(op, clock.now());          // may still take effect later, or never
 * }
 * ...
 * CheckResult result = LinearizabilityChecker.check(new KvModel(), history, Duration.ofSeconds(30));
 * assertThat(result.outcome()).as(result.explanation()).isEqualTo(CheckResult.Outcome.LINEARIZABLE);
 * }</pre>
 *
 * <p>Only a definite error may be recorded as a completed failure (e.g. a cas that was refused);
 * anything that might have reached the cluster must be recorded with {@code info}, or the checker
 * will report false violations. Many unknown outcomes on one busy key are the expensive case.
 *
 * <p>Used by the Raft simulator and by multi-process failover tests.
 */
package dev.ratchet.linearizability;
