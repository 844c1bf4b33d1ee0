/**
 * Configuration records bound from {@code ratchet.*} properties (or environment variables) and
 * validated at start-up, so that a bad value stops the node with a message naming the property.
 */
package dev.ratchet.config;
