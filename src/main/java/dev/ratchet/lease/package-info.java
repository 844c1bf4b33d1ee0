/**
 * Lease expiry. The lease table itself is replicated state ({@code dev.ratchet.state}); here the leader
 * decides, on a monotonic and injected clock, when a lease has run out, and proposes its end through the
 * log. A node that becomes leader restarts every lease's countdown with the full TTL (as etcd does), so
 * a leader change never ends a lease early; it may end one up to an election timeout late.
 */
package dev.ratchet.lease;
