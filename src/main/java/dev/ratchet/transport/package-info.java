/**
 * The peer transport: long-lived, framed connections between Ratchet nodes on their peer port.
 *
 * <p>{@link dev.ratchet.transport.PeerTransport} carries one-way messages (Raft traffic), request/response
 * calls and chunked streams over connections made by a {@link dev.ratchet.transport.PeerDialer} and
 * accepted by a {@link dev.ratchet.transport.PeerAcceptor}. Authentication (mutual TLS) lives behind
 * those two interfaces, so this package knows nothing about certificates. Every queue, frame, batch and
 * number of outstanding calls has a limit, set in {@link dev.ratchet.transport.TransportConfig}.
 * No Spring, no Micrometer: counters are exposed as a plain {@link dev.ratchet.transport.TransportStats}
 * snapshot for the metrics layer to read.
 */
package dev.ratchet.transport;
