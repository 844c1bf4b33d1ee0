package dev.ratchet.api;

/**
 * A query parameter whose value does not convert: answered as Spring's own conversion failures are
 * (problem "Bad parameter", naming the parameter but not echoing its value), so a client sees one problem
 * type for it whichever way the handler read the parameter.
 */
final class BadParameterException extends BadRequestException {

    BadParameterException(String parameter) {
        super(detail(parameter));
    }

    /** The problem's detail for {@code parameter}: its name, never its value. */
    static String detail(String parameter) {
        return "parameter '" + parameter + "' has an invalid value";
    }
}
