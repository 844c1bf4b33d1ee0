/**
 * One cluster, ever: before a node bootstraps an empty data directory it asks the other seeds (its
 * {@code ratchet.join-addresses}) whether a cluster exists, joins it if one answers that it is a member,
 * and creates a cluster only once {@code ratchet.bootstrap-expect} nodes (itself included) have answered
 * that they are fresh (Consul's {@code bootstrap_expect}). Answers are authenticated with the join token,
 * so only a node of this deployment can count as fresh or as a member. A fresh node answers from a small
 * listener on its API port while it waits ({@link FreshNodeResponder}, HTTPS with the API's own key
 * material when {@code server.ssl} is on), because its Spring web server only starts once the node has
 * joined or bootstrapped; a running node answers from its web server.
 */
package dev.ratchet.bootstrap;
