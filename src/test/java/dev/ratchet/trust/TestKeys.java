package dev.ratchet.trust;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared test material: pooled key pairs (key generation dominates test time) and a settable clock. */
final class TestKeys {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<KeyType, List<KeyPair>> POOL = new ConcurrentHashMap<>();

    private TestKeys() {
    }

    /** The {@code index}-th pooled key pair of {@code type}, generated on first use. */
    static KeyPair pooled(KeyType type, int index) {
        List<KeyPair> pool = POOL.computeIfAbsent(type, t -> new ArrayList<>());
        synchronized (pool) {
            while (pool.size() <= index) {
                pool.add(type.generate(RANDOM));
            }
            return pool.get(index);
        }
    }

    /** Real waits in tests scale up under CI. */
    static Duration scaled(Duration base) {
        return System.getenv("CI") == null ? base : base.multipliedBy(3);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
