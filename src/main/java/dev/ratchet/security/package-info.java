/**
 * Every HTTP access decision of a node, made in one Spring Security filter chain: the firewall that
 * refuses ambiguous request spellings, who a request is (admin token, API token, client certificate or
 * anonymous), what that principal may do (admin, or read/write on key and artifact prefixes), body
 * limits applied before parsing, and the problem+json answers of every refusal. Controllers hold no
 * access checks of their own.
 */
package dev.ratchet.security;
