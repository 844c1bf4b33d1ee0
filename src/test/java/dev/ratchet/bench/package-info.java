/**
 * Ratchet's benchmark suite (issue 9), run by {@code tools/bench.sh}, not by the test suite: load windows
 * on real node processes ({@link dev.ratchet.bench.ClusterBenchmark}), leader kills
 * ({@link dev.ratchet.bench.FailoverBenchmark}), rejoin after missed rotations, memory, start-up and
 * stability, written as JSON in the schema shared with the Apache Ratis benchmark and turned into a
 * markdown comparison by {@link dev.ratchet.bench.BenchmarkReport}.
 */
package dev.ratchet.bench;
