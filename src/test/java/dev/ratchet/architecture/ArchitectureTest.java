package dev.ratchet.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package boundaries that the design depends on (issue 12): the Raft core is a pure state machine over the
 * JDK alone, so the simulation and the paper tests exercise exactly what runs in production; the HTTP
 * layers ({@code api}, {@code admin}) reach the node through its published views, never storage or the
 * Raft internals, so no request thread can touch the log by accident.
 *
 * <p>Plain JUnit tests over the ArchUnit library (not its JUnit engine). Main classes only.
 */
class ArchitectureTest {

    /** The only Raft types the HTTP layers may name: values and exceptions the node hands out. */
    private static final Class<?>[] RAFT_TYPES_FOR_HTTP = {Status.class, NotLeaderException.class, Role.class,
            ConfState.class};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ratchet");
    }

    @Test
    void raftDependsOnlyOnTheJdkAndItself() {
        assertThat(main.stream().filter(c -> c.getPackageName().equals("dev.ratchet.raft"))).hasSizeGreaterThan(20);
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
        JavaClasses raftWithTests = new ClassFileImporter().importPackages("dev.ratchet.raft");
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
