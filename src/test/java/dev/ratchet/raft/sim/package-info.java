/**
 * Deterministic simulation of Raft clusters (in the spirit of TigerBeetle's VOPR): one seed drives the
 * scheduler, the network (drop, delay, reorder, duplicate, partitions including one-way), the disks (crash
 * loses unsynced writes), crashes and restarts, and key/value clients. Raft's safety properties are checked
 * after every event, liveness after a heal phase, and every client history with the linearizability checker.
 * A failing run prints its seed and the command that replays it.
 */
package dev.ratchet.raft.sim;
