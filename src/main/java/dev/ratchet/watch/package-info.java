/**
 * Change notification served from a node's applied state: Server-Sent-Event watches on a key prefix
 * from a revision, and Consul-style blocking reads that wait for the next change. Everything is read
 * from the node's bounded {@link dev.ratchet.state.ChangeHistory}; a watcher holds only its cursor, so
 * memory does not grow with slow watchers, which are cut off with an event instead.
 */
package dev.ratchet.watch;
