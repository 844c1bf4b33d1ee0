/**
 * Micrometer binders that turn what the node already exposes (Raft status and driver counters,
 * transport statistics, peer round trips, trust roots, handshake outcomes, the artifact index) into
 * meters with Prometheus-style names and units. Nothing here is on a hot path except the handshake
 * listener and the sync, apply-latency and round-trip histograms, which only record. No Spring: the application wires the binders as beans. Every
 * meter is documented in {@code docs/metrics.md}.
 */
package dev.ratchet.metrics;
