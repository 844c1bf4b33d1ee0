/**
 * The peer transport: long-lived, framed connections between Ratchet nodes on their peer port.
 *
 * <p>{@link dev.ratchet.transport.PeerTransport} carries one-way messages (Raft traffic), request/response
 * calls and chunked streams over connections made by a {@link dev.ratchet.transport.PeerDialer} and
 * accepted by a {@link dev.ratchet.transport.PeerAcceptor}. Authentication (mutual TLS) lives behind
 * those two interfaces, so this package knows nothing about certificates. Every queue, frame, batch, pool
 * and number of outstanding calls has a limit, set in {@link dev.ratchet.transport.TransportConfig}.
 * No Spring, no Micrometer: counters are exposed as a plain {@link dev.ratchet.transport.TransportStats}
 * snapshot for the metrics layer to read.
 *
 * <pre>{@code
 * PeerAddressBook book = new PeerAddressBook();
 * book.put("n2", new InetSocketAddress("127.0.0.1", 7002));
 * PeerTransport transport = new PeerTransport("n1", acceptor, dialer, book, TransportConfig.defaults());
 * transport.setMessageConsumer((peer, bytes) -> raftInbox.offer(peer, bytes));   // must not block
 * transport.registerHandler(READ_INDEX, (peer, bytes) -> node.readIndex(bytes)); // CompletionStage<byte[]>
 * transport.registerStreamHandler(FETCH_ARTIFACT, (peer, bytes, sink) -> store.copyTo(bytes, sink));
 * transport.start();
 * transport.send("n2", raftMessage);                                            // false = dropped
 * transport.call("n2", READ_INDEX, request, Duration.ofSeconds(2));             // CompletableFuture<byte[]>
 * transport.callStream("n2", FETCH_ARTIFACT, key, chunk -> file.write(chunk));  // CompletableFuture<Void>
 * }</pre>
 *
 * <p>Threads per transport: one acceptor, one timer, three bounded pools (request handlers, stream
 * producers, chunk consumers) and per peer one dialer plus a reader and a writer for each connection.
 */
package dev.ratchet.transport;
