/**
 * Operator access: the actuator endpoints {@code /actuator/consensus} and {@code /actuator/roots}, and
 * the admin bearer token {@code ratchet.admin-token}. Who may call them is decided in
 * {@code dev.ratchet.security} (one Spring Security filter chain); health and Prometheus stay open for
 * probes and scrapers unless {@code ratchet.admin.protect-health} / {@code ratchet.admin.protect-prometheus}
 * say otherwise.
 */
package dev.ratchet.admin;
