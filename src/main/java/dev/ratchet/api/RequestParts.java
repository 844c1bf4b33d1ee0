package dev.ratchet.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Map;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The path variable, query parameters and headers of the hottest requests (a key's read, write and
 * delete), read straight from the servlet request instead of through Spring MVC's argument resolvers.
 * Those create a data binder and look a converter up for every parameter of every request, matching the
 * parameter's annotations by reflection: profiled under load (issue 14), a fifth of a read's request-thread
 * CPU. Values convert with Spring's shared conversion service, so the spellings it accepted are accepted
 * (true/on/yes/1, hexadecimal integers, whitespace inside numbers) and an empty value is absent as before;
 * a value that does not convert is a {@link BadParameterException}, the problem Spring's own failures gave.
 * Static and thread-safe; nothing here blocks.
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

    /** A boolean query parameter, false when absent or empty. */
    static boolean flag(HttpServletRequest request, String name) {
        Boolean value = convert(request, name, Boolean.class);
        return value != null && value;
    }

    /** An integer query parameter, null when absent or empty. */
    static Long optionalLong(HttpServletRequest request, String name) {
        return convert(request, name, Long.class);
    }

    /**
     * The first value of a query parameter, converted as Spring converts a request parameter; null when
     * absent or when the converter makes nothing of it (an empty or blank flag).
     */
    private static <T> T convert(HttpServletRequest request, String name, Class<T> type) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return DefaultConversionService.getSharedInstance().convert(value, type);
        } catch (ConversionException e) {
            throw new BadParameterException(name);
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
