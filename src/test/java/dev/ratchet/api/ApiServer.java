package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.lease.LeaseKeeper;
import dev.ratchet.watch.WatchHub;
import dev.ratchet.watch.WatchSettings;
import java.time.Duration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real HTTP server with the KV, transaction and watch controllers over one {@link DirectReplicator}:
 * for tests that need streaming (SSE) or a client talking HTTP, without starting a Raft node.
 * Start it with {@code @SpringBootTest(classes = ApiServer.class, webEnvironment = RANDOM_PORT)}.
 *
 * <p>Deliberately not annotated as a configuration or component: node processes started by the
 * real-process tests run with the test classpath, and their component scan must not pick this up (it
 * defines a second 'replicator'). Spring processes it all the same when a test names it in
 * {@code classes}.
 */
@EnableAutoConfiguration
@EnableConfigurationProperties(ApiProperties.class)
@Import({KvController.class, TxnController.class, WatchController.class, LeaseController.class, ApiErrors.class,
    RequestThreadWait.class})
public class ApiServer {

    /** The application's health groups name the node's contributors, which this server has not. */
    public static final String READINESS = "management.endpoint.health.group.readiness.include=readinessState";
    public static final String LIVENESS = "management.endpoint.health.group.liveness.include=livenessState";

    /**
     * These tests are of the controllers; who may call them is tested against the application's own
     * filter chain in dev.ratchet.security. Without this bean Spring Security's default chain would ask
     * for a generated password.
     */
    @Bean
    SecurityFilterChain openForControllerTests(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable()).build();
    }

    @Bean
    DirectReplicator replicator() {
        return new DirectReplicator();
    }

    /** This one replica always leads; the keeper ticks on the real monotonic clock. */
    @Bean(destroyMethod = "close")
    LeaseKeeper leaseKeeper(DirectReplicator replicator) {
        LeaseKeeper keeper = new LeaseKeeper(replicator, () -> true, System::nanoTime, Duration.ofSeconds(1));
        keeper.start(Duration.ofMillis(50));
        return keeper;
    }

    @Bean(destroyMethod = "close")
    WatchHub watchHub(DirectReplicator replicator) {
        return new WatchHub(replicator.state().history(),
                new WatchSettings(100, 100, Duration.ofSeconds(5), Duration.ofMillis(200), 16), 2, System::nanoTime);
    }
}
