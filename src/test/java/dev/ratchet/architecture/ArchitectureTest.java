package dev.ratchet.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package boundaries that the design depends on (issue 12): the Raft core is a pure state machine over the
 * JDK alone, so the simulation and the paper tests exercise exactly what runs in production; the HTTP
 * layers ({@code api}, {@code admin}) reach the node through its published views, never storage or the
 * Raft internals, so no request thread can touch the log by accident.
 *
 * <p>Plain JUnit tests over the ArchUnit library (not its JUnit engine), over the compiled main classes.
 */
class ArchitectureTest {

    /** The only Raft types the HTTP layers may name: values and exceptions the node hands out. */
    private static final Class<?>[] RAFT_TYPES_FOR_HTTP = {Status.class, NotLeaderException.class, Role.class,
            ConfState.class};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // Only our class directories are read (no scan of the jars on the class path); what the classes
        // depend on is known by name, which is all the rules need.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        main = new ClassFileImporter().importPaths(packageDirs(RaftCore.class, "raft", "api", "admin", "node"));
    }

    /** The directories of {@code dev.ratchet.<name>} in the class directory (or jar) that holds {@code anchor}. */
    private static List<Path> packageDirs(Class<?> anchor, String... names) {
        try {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Arrays.stream(names).map(n -> root.resolve("dev/ratchet/" + n)).toList();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Also checks the import saw the packages at all, so the rules below are not vacuous. */
    @Test
    void raftDependsOnlyOnTheJdkAndItself() {
        for (String pkg : new String[] {"dev.ratchet.raft", "dev.ratchet.api", "dev.ratchet.admin"}) {
            assertThat(main.stream().filter(c -> c.getPackageName().equals(pkg))).as(pkg).isNotEmpty();
        }
        raftOnlyOnJdk().check(main);
    }

    @Test
    void apiAndAdminNeverTouchStorage() {
        noStorage("dev.ratchet.api..", "dev.ratchet.admin..").check(main);
    }

    @Test
    void apiAndAdminUseOnlyRaftsPublicValuesAndExceptions() {
        onlyRaftValues("dev.ratchet.api..", "dev.ratchet.admin..").check(main);
    }

    /** The rules can fail: the same rules over code known to break them report it. */
    @Test
    void theRulesReportViolations() {
        List<Path> raftDirs = new ArrayList<>(packageDirs(RaftCore.class, "raft"));
        raftDirs.addAll(packageDirs(ArchitectureTest.class, "raft"));
        JavaClasses raftWithTests = new ClassFileImporter().importPaths(raftDirs);
        assertThat(raftOnlyOnJdk().evaluate(raftWithTests).hasViolation())
                .as("raft's tests use JUnit and AssertJ").isTrue();
        assertThat(noStorage("dev.ratchet.node..").evaluate(main).hasViolation())
                .as("the node assembles the file storage").isTrue();
        assertThat(onlyRaftValues("dev.ratchet.node..").evaluate(main).hasViolation())
                .as("the node drives RaftCore").isTrue();
    }

    private static ArchRule raftOnlyOnJdk() {
        return classes().that().resideInAPackage("dev.ratchet.raft..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.ratchet.raft..")
                .because("the Raft core is a deterministic state machine over the JDK alone");
    }

    private static ArchRule noStorage(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAPackage("dev.ratchet.storage..")
                .because("HTTP threads must never reach the log's files");
    }

    private static ArchRule onlyRaftValues(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat(resideInAPackage("dev.ratchet.raft..")
                        .and(not(belongToAnyOf(RAFT_TYPES_FOR_HTTP))))
                .because("HTTP layers see the node's published views, not the Raft internals");
    }
}
