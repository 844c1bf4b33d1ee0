package dev.ratchet.security;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real single-node cluster behind real Tomcat, shared by the security test classes that extend this
 * one (they inherit the same configuration, so Spring starts the node once for all of them). Requests go
 * through {@link RawHttp}, which sends every spelling as written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SoloNodeTest {

    @LocalServerPort
    int port;

    RawHttp http;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        SoloNode.properties(registry);
    }

    @BeforeAll
    void awaitReady() {
        http = new RawHttp(port);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> http.send("GET", "/actuator/health/readiness", null).status() == 200);
    }
}
