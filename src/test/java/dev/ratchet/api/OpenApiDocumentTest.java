package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.testsupport.SoloNodeProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document a real node serves: open to anonymous callers, OpenAPI 3.1, naming every
 * operation the application's controllers map (read from the handler mapping, so a new endpoint without
 * a description fails here), each with its problem+json answers whose types are documented, and equal
 * to the checked-in docs/openapi.json ({@code -Dratchet.openapi.write=true} rewrites that file).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path CHECKED_IN = Path.of("docs/openapi.json");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void nodeProperties(DynamicPropertyRegistry registry) throws IOException {
        SoloNodeProperties.register(registry, "openapi-test-admin-token-0123456789");
    }

    @BeforeAll
    void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode spec() throws Exception {
        HttpResponse<String> r = get("/v3/api-docs");
        assertThat(r.statusCode()).as("anonymous GET /v3/api-docs: %s", r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** "METHOD /path" of every mapping of the application's own controllers, in springdoc's path spelling. */
    private Set<String> controllerOperations() {
        Set<String> ops = new TreeSet<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, org.springframework.web.method.HandlerMethod h) -> {
            if (!h.getBeanType().getName().startsWith("dev.ratchet.")) {
                return; // springdoc's own document and UI endpoints
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error")) {
                    continue; // only error dispatches reach it; refused when requested (ErrorPages)
                }
                String path = pattern.replace("{*", "{");
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                assertThat(methods).as("%s maps a method", pattern).isNotEmpty();
                methods.forEach(m -> ops.add(m.name() + " " + path));
            }
        });
        return ops;
    }

    private static Set<String> specOperations(JsonNode spec) {
        Set<String> ops = new TreeSet<>();
        spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (Set.of("get", "put", "post", "delete", "head", "patch", "options").contains(op.getKey())) {
                ops.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return ops;
    }

    @Test
    void anonymousCallersReadAnOpenApi31DocumentAndTheBrowser() throws Exception {
        JsonNode spec = spec();
        assertThat(spec.path("openapi").asString()).startsWith("3.1");
        assertThat(spec.path("components").path("securitySchemes").path("bearer").path("scheme").asString())
                .isEqualTo("bearer");
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        // The rest stays closed to anonymous callers.
        assertThat(get("/api/v1/kv/x").statusCode()).isEqualTo(401);
    }

    @Test
    void everyControllerMappingIsAnOperationOfTheDocument() throws Exception {
        Set<String> controllers = controllerOperations();
        assertThat(controllers).as("the handler mapping lists the API").contains("PUT /api/v1/kv/{key}",
                "POST /api/v1/txn", "GET /api/v1/watch", "POST /api/v1/leases", "GET /api/v1/admin/backup");
        Set<String> documented = specOperations(spec());
        assertThat(documented).containsAll(controllers);
        assertThat(ApiCatalog.operations().keySet()).as("ApiCatalog describes every mapping, and nothing else")
                .containsExactlyInAnyOrderElementsOf(controllers);
    }

    @Test
    void operationIdsAreUniqueAndMadeFromMethodAndPathNotFromHandlerNames() throws Exception {
        JsonNode spec = spec();
        java.util.Map<String, String> ids = new java.util.TreeMap<>();
        spec.path("paths").properties().forEach(p -> p.getValue().properties().forEach(op ->
                ids.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey(),
                        op.getValue().path("operationId").asString())));
        assertThat(ids).containsEntry("GET /api/v1/kv/{key}", "getKvByKey").containsEntry("GET /api/v1/kv", "getKv")
                .containsEntry("DELETE /api/v1/admin/join-tokens/{id}", "deleteAdminJoinTokensById")
                .containsEntry("POST /api/v1/txn", "postTxn");
        assertThat(new java.util.HashSet<>(ids.values())).hasSameSizeAs(ids.values());
    }

    @Test
    void everyOperationHasASummaryAndItsDocumentedProblemAnswers() throws Exception {
        JsonNode spec = spec();
        String docs = Files.readString(Path.of("docs/problems.md")) + Files.readString(Path.of("docs/security.md"));
        List<String> missing = new ArrayList<>();
        ApiCatalog.operations().forEach((key, described) -> {
            String[] parts = key.split(" ", 2);
            JsonNode op = spec.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
            assertThat(op.path("summary").asString()).as(key).isEqualTo(described.summary());
            for (ApiCatalog.Problem p : described.all()) {
                JsonNode response = op.path("responses").path(Integer.toString(p.status()));
                if (!response.path("content").has("application/problem+json")
                        || !response.path("description").asString().contains(p.type())) {
                    missing.add(key + " " + p.status() + " " + p.type());
                }
                assertThat(docs).as("docs/problems.md or security.md documents %s", p.type()).contains("`" + p.type() + "`");
            }
        });
        assertThat(missing).as("problem answers missing from the document").isEmpty();
        // Open endpoints never refuse credentials; guarded ones say they may.
        assertThat(spec.path("paths").path("/api/v1/cluster/roots").path("get").path("responses").has("401")).isFalse();
        assertThat(spec.path("paths").path("/api/v1/kv/{key}").path("get").path("responses").has("401")).isTrue();
        assertThat(spec.path("components").path("schemas").path("Problem").path("properties").has("type")).isTrue();
    }

    @Test
    void aPathServedByTwoHandlersDocumentsTheParametersOfBoth() throws Exception {
        // GET of a key and GET of a listing each have a plain and a blocking handler (params = waitRevision):
        // one operation in the document, which must name what either takes.
        JsonNode spec = spec();
        for (String path : List.of("/api/v1/kv/{key}", "/api/v1/kv")) {
            Set<String> names = new TreeSet<>();
            spec.path("paths").path(path).path("get").path("parameters").forEach(p -> names.add(p.path("name").asString()));
            assertThat(names).as("parameters of GET %s", path).contains("stale", "waitRevision", "wait");
        }
    }

    @Test
    void servedDocumentEqualsTheCheckedInOne() throws Exception {
        String served = JSON.writeValueAsString(spec()) + "\n";
        if (Boolean.getBoolean("ratchet.openapi.write")) {
            Files.writeString(CHECKED_IN, served);
        }
        assertThat(Files.exists(CHECKED_IN)).as("docs/openapi.json exists (-Dratchet.openapi.write=true writes it)").isTrue();
        assertThat(served).as("served /v3/api-docs differs from docs/openapi.json; rerun this test with "
                + "-Dratchet.openapi.write=true and commit the file").isEqualTo(Files.readString(CHECKED_IN));
    }
}
