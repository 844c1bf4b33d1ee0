package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.security.Problems;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/** The container's error dispatch answers problem+json with the error's status and a stable type. */
class ErrorPagesTest {

    private static ResponseEntity<ProblemDetail> error(Object status) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        if (status != null) {
            request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        }
        return new ErrorPages().error(request);
    }

    @Test
    void theErrorsStatusAndTypeWithoutInternals() {
        ResponseEntity<ProblemDetail> notFound = error(404);
        assertThat(notFound.getStatusCode().value()).isEqualTo(404);
        assertThat(notFound.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(notFound.getBody().getType().toString()).isEqualTo(Problems.HTTP_ERROR);
        assertThat(notFound.getBody().getStatus()).isEqualTo(404);

        ResponseEntity<ProblemDetail> broken = error(500);
        assertThat(broken.getBody().getDetail()).isEqualTo("see the node's log");
        assertThat(error(null).getStatusCode().value()).as("no status recorded").isEqualTo(500);
        assertThat(error(999).getStatusCode().value()).as("not an HTTP status").isEqualTo(500);
    }
}
