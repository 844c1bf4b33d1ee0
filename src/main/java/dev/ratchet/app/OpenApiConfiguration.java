package dev.ratchet.app;

import dev.ratchet.api.ApiCatalog;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 document springdoc serves at {@code /v3/api-docs} (and its browser at
 * {@code /swagger-ui.html}): springdoc reads the operations from the controllers, this adds what the
 * code does not say — summaries, the bearer scheme, and each operation's problem+json answers from
 * {@link ApiCatalog}. Built once per document request on a servlet thread.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_SCHEMA = "Problem";

    @Bean
    OpenAPI ratchetOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Ratchet API").version("v1")
                        .description("Keys, transactions, watches, leases, artifacts and cluster administration. "
                                + "Every error is an RFC 9457 application/problem+json whose type is one of "
                                + "urn:ratchet:problem:* (docs/problems.md).")
                        .license(new License().name("see the repository")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("the admin token or an API token rat_<id>.<secret>")))
                // Relative: the same document on every node and behind any proxy (and springdoc then adds none of its own).
                .servers(List.of(new Server().url("/")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            // Here rather than in the bean above: springdoc rebuilds the schemas it reads from the controllers.
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                ApiCatalog.Operation described = ApiCatalog.operations().get(method.name() + " " + path);
                if (described == null) {
                    return; // OpenApiDocumentTest fails on an operation the catalog does not describe.
                }
                op.setSummary(described.summary());
                op.setOperationId(operationId(method.name(), path));
                op.setTags(List.of(area(path)));
                addProblems(op, described.all());
            }));
        };
    }

    /**
     * An operation's id, made from its method and path ({@code GET /api/v1/kv/{key}}: {@code getKvByKey}),
     * so that it stays the same whatever the controller methods are called: springdoc's own ids come from
     * method names, numbered ({@code list_3}) when they clash, and moved whenever a handler was renamed or
     * split, which breaks generated clients.
     */
    static String operationId(String method, String path) {
        String rest = path.startsWith("/api/v1/") ? path.substring("/api/v1/".length()) : path;
        StringBuilder id = new StringBuilder(method.toLowerCase(java.util.Locale.ROOT));
        for (String segment : rest.split("[/\\-]")) {
            if (segment.isEmpty()) {
                continue;
            }
            boolean variable = segment.startsWith("{") && segment.endsWith("}");
            String word = variable ? segment.substring(1, segment.length() - 1) : segment;
            if (variable) {
                id.append("By");
            }
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.toString();
    }

    /** The tag of an operation: the part of the API it belongs to ({@code /api/v1/kv/{key}}: kv). */
    private static String area(String path) {
        String rest = path.startsWith("/api/v1/") ? path.substring("/api/v1/".length()) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** One response per status, listing every problem type that status may carry. */
    private static void addProblems(Operation op, List<ApiCatalog.Problem> problems) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        Map<Integer, List<String>> byStatus = problems.stream().collect(Collectors.groupingBy(
                ApiCatalog.Problem::status, TreeMap::new,
                Collectors.mapping(ApiCatalog.Problem::type, Collectors.toList())));
        byStatus.forEach((status, types) -> {
            Schema<?> schema = new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA);
            responses.addApiResponse(Integer.toString(status), new ApiResponse()
                    .description("problem type " + String.join(" or ", types.stream().distinct().toList()))
                    .content(new Content().addMediaType("application/problem+json", new MediaType().schema(schema))));
        });
        op.setResponses(responses);
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().description("urn:ratchet:problem:<slug>, see docs/problems.md"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().description("what happened to this request"))
                .addProperty("instance", new StringSchema())
                .addProperty("oldestAvailable", new IntegerSchema().format("int64")
                        .description("revision-compacted only: the oldest revision the node still has"));
    }
}
