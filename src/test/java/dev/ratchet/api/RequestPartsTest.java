package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

class RequestPartsTest {

    @Test
    void aFlagAcceptsWhatSpringsConversionAcceptedAndRefusesTheRest() {
        for (String yes : new String[] {"true", "TRUE", "on", "yes", "1", " true "}) {
            assertThat(RequestParts.flag(request("stale", yes), "stale")).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "Off", "no", "0", "", " "}) {
            assertThat(RequestParts.flag(request("stale", no), "stale")).as(no).isFalse();
        }
        assertThat(RequestParts.flag(new MockHttpServletRequest(), "stale")).isFalse();
        assertThatThrownBy(() -> RequestParts.flag(request("stale", "maybe"), "stale"))
                .isInstanceOf(BadParameterException.class).hasMessage("parameter 'stale' has an invalid value");
    }

    @Test
    void anIntegerParameterConvertsAsSpringDidAndIsNullWhenAbsent() {
        assertThat(RequestParts.optionalLong(new MockHttpServletRequest(), "lease")).isNull();
        assertThat(RequestParts.optionalLong(request("lease", ""), "lease")).isNull();
        assertThat(RequestParts.optionalLong(request("lease", "42"), "lease")).isEqualTo(42L);
        assertThat(RequestParts.optionalLong(request("lease", "-3"), "lease")).isEqualTo(-3L);
        assertThat(RequestParts.optionalLong(request("lease", "0x10"), "lease")).isEqualTo(16L);
        assertThat(RequestParts.optionalLong(request("lease", "4 2"), "lease")).isEqualTo(42L);
        for (String refused : new String[] {"4x", " ", "99999999999999999999"}) {
            assertThatThrownBy(() -> RequestParts.optionalLong(request("lease", refused), "lease")).as(refused)
                    .isInstanceOf(BadParameterException.class).hasMessage("parameter 'lease' has an invalid value");
        }
    }

    @Test
    void repeatedHeaderFieldsAreJoinedWithCommas() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        assertThat(RequestParts.header(request, "If-Match")).isNull();
        request.addHeader("If-Match", "\"a\"");
        assertThat(RequestParts.header(request, "If-Match")).isEqualTo("\"a\"");
        request.addHeader("If-Match", "\"b\"");
        assertThat(RequestParts.header(request, "If-Match")).isEqualTo("\"a\",\"b\"");
    }

    @Test
    void thePathVariableComesFromTheMatchedPattern() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("key", "/a/b"));
        assertThat(RequestParts.pathVariable(request, "key")).isEqualTo("/a/b");
        assertThatThrownBy(() -> RequestParts.pathVariable(request, "path")).isInstanceOf(IllegalStateException.class);
    }

    private static MockHttpServletRequest request(String name, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setParameter(name, value);
        return request;
    }
}
