package dev.ratchet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Four real node processes with autopilot on lose one node for good: the leader reports it unhealthy,
 * removes it once {@code dead-after} has passed, and the cluster goes on with three voters, which is
 * also the minimum, so a second loss is only reported.
 */
@Tag("cluster")
class AutopilotClusterTest {

    private static final String DEAD_AFTER = "6s";

    @Test
    void aVoterGoneForGoodIsRemovedDownToMinVoters() throws Exception {
        try (LocalCluster cluster = new LocalCluster("autopilot", 4, List.of(
                "--ratchet.autopilot.dead-after=" + DEAD_AFTER, "--ratchet.autopilot.min-voters=3")).start()) {
            NodeProcess leader = cluster.awaitLeader();
            NodeProcess victim = cluster.nodes().stream().filter(n -> n != leader).reduce((a, b) -> b).orElseThrow();
            victim.kill();

            await("the leader calls " + victim.id() + " unhealthy").atMost(Timeouts.seconds(30))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                        JsonNode m = member(leader, victim.id());
                        assertThat(m.path("healthy").asBoolean(true)).as(m.toString()).isFalse();
                        assertThat(m.path("health").asString()).contains("no answer");
                    });
            await("autopilot removes " + victim.id()).atMost(Timeouts.seconds(60))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> LocalCluster.voters(leader).size() == 3 && !LocalCluster.voters(leader).contains(victim.id()));
            assertThat(leader.tail(400)).contains("autopilot: removing voter " + victim.id());

            // Three voters write on; a second loss is at the minimum: reported, never removed.
            assertThat(leader.put("/api/v1/kv/after-autopilot", "still-writing").statusCode()).isBetween(200, 204);
            NodeProcess second = cluster.nodes().stream().filter(n -> n != leader && n != victim).findFirst().orElseThrow();
            second.kill();
            await("the minimum is reported").atMost(Timeouts.seconds(60)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().untilAsserted(() -> assertThat(member(leader, second.id()).path("health").asString())
                            .contains("ratchet.autopilot.min-voters=3"));
            assertThat(LocalCluster.voters(leader)).hasSize(3).contains(second.id());
        }
    }

    private static JsonNode member(NodeProcess leader, String id) throws Exception {
        JsonNode view = LocalCluster.json(leader.send(HttpRequest.newBuilder(leader.url("/actuator/consensus"))
                .header("Authorization", "Bearer " + LocalCluster.ADMIN_TOKEN).timeout(Duration.ofSeconds(10)).GET()
                .build()).body());
        for (JsonNode m : view.path("members")) {
            if (m.path("id").asString().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not in " + view);
    }
}
