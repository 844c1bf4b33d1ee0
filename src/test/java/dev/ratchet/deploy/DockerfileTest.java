package dev.ratchet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile follows {@link DockerfileRules} and passes both npm linters; each rule and each
 * linter is also shown to reject a Dockerfile that breaks it, so a green run means something.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = NodeTools.ROOT.resolve("docker/Dockerfile");
    private static final Function<String, String> CONTEXT = path -> {
        Path p = NodeTools.ROOT.resolve(path).normalize();
        try {
            return p.startsWith(NodeTools.ROOT) && Files.isRegularFile(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    private static String dockerfile() throws IOException {
        return Files.readString(DOCKERFILE);
    }

    @Test
    void theImageFollowsEveryRule() throws IOException {
        assertThat(DockerfileRules.violations(dockerfile(), CONTEXT)).isEmpty();
    }

    @Test
    void eachRuleRejectsTheDockerfileThatBreaksIt() throws IOException {
        String good = dockerfile();
        assertThat(broken(good, "FROM eclipse-temurin:17.0.15_6-jre-jammy AS run", "FROM eclipse-temurin:latest AS run"))
                .anyMatch(m -> m.contains("latest"));
        assertThat(broken(good, "FROM eclipse-temurin:17.0.15_6-jdk-jammy AS build", "FROM eclipse-temurin AS build"))
                .anyMatch(m -> m.contains("not pinned"));
        assertThat(broken(good, "USER 10001:10001", "USER root")).anyMatch(m -> m.contains("is root"));
        assertThat(broken(good, "USER 10001:10001\n", "")).anyMatch(m -> m.contains("no USER"));
        assertThat(broken(good, "ENV SERVER_PORT=8080", "ENV RATCHET_JOIN_TOKEN=abcdefabcdefabcdef SERVER_PORT=8080"))
                .anyMatch(m -> m.contains("RATCHET_JOIN_TOKEN") && m.contains("secret"));
        assertThat(broken(good, "WORKDIR /app", "WORKDIR /app\nCOPY cluster-data/admin-token /app/"))
                .anyMatch(m -> m.contains("looks like a secret"));
        assertThat(broken(good, "ENTRYPOINT [\"/usr/local/bin/ratchet-entrypoint\"]", "ENTRYPOINT java -jar app.jar"))
                .anyMatch(m -> m.contains("shell form"));
        assertThat(broken(good, "COPY docker/entrypoint.sh", "COPY docker/healthcheck.sh"))
                .anyMatch(m -> m.contains("does not `exec java`"));
        assertThat(broken(good, "COPY docker/healthcheck.sh", "COPY docker/prestop.sh"))
                .anyMatch(m -> m.contains("readiness"));
        assertThat(broken(good, "COPY --from=build /workspace/extracted/dependencies/ ./\n", ""))
                .anyMatch(m -> m.contains("layers"));
        assertThat(broken(good, "FROM eclipse-temurin:17.0.15_6-jre-jammy AS run", "FROM eclipse-temurin:17.0.15_6-jdk-jammy AS run"))
                .anyMatch(m -> m.contains("JRE"));
    }

    @Test
    void dockerignoreKeepsBuildOutputAndSecretsOut() throws IOException {
        List<String> lines = Files.readAllLines(NodeTools.ROOT.resolve(".dockerignore"));
        assertThat(lines).contains("**", "target/", "cluster-data/", "**/*.pem", "**/join-token", "**/admin-token");
        for (String copied : List.of("mvnw", "pom.xml", ".mvn/", "src/")) {
            assertThat(lines).contains("!" + copied);
        }
    }

    @Test
    void bothLintersPassTheImageAndCatchABrokenOne(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        NodeTools.Result good = NodeTools.script("lint-dockerfile.mjs", Duration.ofSeconds(60), DOCKERFILE.toString());
        assertThat(good.exitCode()).as(good.output()).isZero();

        Path bad = dir.resolve("Dockerfile");
        Files.writeString(bad, "FROM ubuntu:latest\nRUN sudo apt-get install curl\nEXPOSE http\n");
        NodeTools.Result result = NodeTools.script("lint-dockerfile.mjs", Duration.ofSeconds(60), bad.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("dockerfile-utils:3", "dockerfilelint:1: latest_tag",
                "dockerfilelint:2: sudo_usage");
    }

    private static List<String> broken(String good, String from, String to) {
        assertThat(good).as("the Dockerfile still contains the text this case replaces").contains(from);
        return DockerfileRules.violations(good.replace(from, to), CONTEXT);
    }
}
