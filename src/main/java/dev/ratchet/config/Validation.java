package dev.ratchet.config;

/** One-line start-up validation messages that name the property, what it must be and what it was. */
public final class Validation {

    private Validation() {
    }

    /**
     * @throws InvalidPropertyException if the condition is false
     */
    public static void require(boolean condition, String property, String expected, Object actual) {
        if (!condition) {
            throw new InvalidPropertyException(property, expected, actual);
        }
    }

    /** A property value that breaks its rule. */
    public static final class InvalidPropertyException extends IllegalArgumentException {
        private final String property;

        public InvalidPropertyException(String property, String expected, Object actual) {
            super(property + " must be " + expected + " (was: " + (actual == null ? "not set" : actual) + ")");
            this.property = property;
        }

        public String property() {
            return property;
        }
    }
}
