package dev.ratchet.trust;

/** Which end of a TLS connection a handshake outcome was seen on. */
public enum HandshakeSide {
    /** The dialer, which initiated the connection. */
    CLIENT,
    /** The acceptor, which received the connection. */
    SERVER
}
