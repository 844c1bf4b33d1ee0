/**
 * Operator access: the actuator endpoints {@code /actuator/consensus} and {@code /actuator/roots}, and
 * the authentication of admin requests (a bearer token from {@code ratchet.admin-token}, or a client
 * certificate the HTTPS connector verified). Health and Prometheus stay open for probes and scrapers
 * unless {@code ratchet.admin.protect-health} / {@code ratchet.admin.protect-prometheus} say otherwise.
 */
package dev.ratchet.admin;
