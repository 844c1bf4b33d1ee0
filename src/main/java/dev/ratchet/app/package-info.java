/**
 * Spring wiring: turns the validated {@code ratchet.*} properties into a running
 * {@link dev.ratchet.node.RatchetNode} and exposes its parts as beans for the API and actuator.
 */
package dev.ratchet.app;
