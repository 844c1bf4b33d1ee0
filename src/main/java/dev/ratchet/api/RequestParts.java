package dev.ratchet.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The path variable, query parameters and headers of the hottest requests (a key's read, write and
 * delete), read straight from the servlet request instead of through Spring MVC's argument resolvers.
 * Those create a data binder and look a converter up for every parameter of every request, matching the
 * parameter's annotations by reflection: profiled under load (issue 14), a fifth of a read's request-thread
 * CPU. What they accepted is accepted here (the same spellings of a flag, the same joined header values),
 * and what they refused gets a 400. Static and thread-safe; nothing here blocks.
 */
final class RequestParts {

    private RequestParts() {
    }

    /** The value a {@code {*name}} pattern captured; throws if the handler's pattern has no such variable. */
    static String pathVariable(HttpServletRequest request, String name) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Object value = variables instanceof Map<?, ?> map ? map.get(name) : null;
        if (value == null) {
            throw new IllegalStateException("the handler's path pattern captures no variable '" + name + "'");
        }
        return value.toString();
    }

    /**
     * A boolean query parameter, false when absent or empty. Accepts what Spring's conversion does
     * (true/false, on/off, yes/no, 1/0, in any case); anything else is a 400.
     */
    static boolean flag(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new BadRequestException(name + " must be true or false, not '" + value + "'");
        };
    }

    /** An integer query parameter, null when absent or empty; a value that is not a 64-bit integer is a 400. */
    static Long optionalLong(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer, not '" + value + "'");
        }
    }

    /** A header's value, its repeated fields joined with commas as HTTP allows; null when absent. */
    static String header(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements()) {
            joined.append(',').append(values.nextElement());
        }
        return joined.toString();
    }
}
