/**
 * Deterministic simulation of Raft clusters (in the spirit of TigerBeetle's VOPR): one seed drives the
 * scheduler, the network (drop, delay, reorder, duplicate, partitions including one-way), the disks
 * ({@link dev.ratchet.raft.sim.SimDisk}: WAL segments and snapshot files; a crash loses unsynced records
 * per segment and can tear one append; a wipe loses the volume), crashes and restarts, membership changes
 * (random ones through even sizes, one proposed by a new leader at once, the {@link
 * dev.ratchet.raft.sim.ReconfigRace} step, and the replacement of lost disks by new incarnations
 * {@code <name>~<n>}), and key/value clients. Each node is driven by the production
 * {@link dev.ratchet.node.ReadyHandler}. Raft's safety properties are checked after every event, liveness
 * after a heal phase, and every client history with the linearizability checker (an undecided history
 * fails). A failing run prints its seed and the command that replays it. The planted-bug tests prove the
 * checks can fail: stale local reads ({@code PlantedBugTest}), amnesia ({@code PlantedAmnesiaTest}), and a
 * membership change before the new leader committed ({@code PlantedEarlyConfChangeTest}).
 */
package dev.ratchet.raft.sim;
