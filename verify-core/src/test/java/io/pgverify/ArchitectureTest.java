package io.pgverify;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The shape of verify-core, checked on its compiled classes: internal packages that depend on each other in one
 * direction only, a public API that hides the internals, and a library free of the CLI's dependencies.
 */
class ArchitectureTest {

    /**
     * The public classes that must reach into the internals, and why. Every other class of the API is plain data
     * (reports, results, settings) and must stay so, or the internals leak into what callers compile against.
     * <ul>
     *   <li>{@link Verifier} and {@link Preflight} (nested classes included): their builders validate into the internal
     *       settings, open the pools and hand the work to the internal run;</li>
     *   <li>{@link Fleet}: admits pairs with the internal {@code Admission}, which holds the one lock that makes
     *       reserving connections on several servers atomic;</li>
     *   <li>{@link Verification}: {@code cancel()} goes through the run's internal {@code Cancellation};</li>
     *   <li>{@link ShardPlan}: wraps the internal plan file, which it reads, writes and hands to the run;</li>
     *   <li>{@link Setting}: parses durations and sizes with {@code internal.config}, so that the builder, the CLI and
     *       the environment read them alike;</li>
     *   <li>{@link ConnectionSettings} and {@link ConnectionUrls}: read libpq's environment and files with
     *       {@code internal.jdbc}.</li>
     * </ul>
     */
    private static final Class<?>[] API_WITH_INTERNALS = {Verifier.class, Preflight.class, Verification.class, Fleet.class,
            ShardPlan.class, Setting.class, ConnectionSettings.class, ConnectionUrls.class};

    private static JavaClasses core;

    @BeforeAll
    static void importCore() throws URISyntaxException {
        // Only this module's main classes: the test class path also holds the embedded servers' module and the tests.
        Path classes = Path.of(Verifier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        core = new ClassFileImporter().importPath(classes);
    }

    @Test
    void internalPackagesFormNoCycle() {
        slices().matching("io.pgverify.internal.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void publicApiDependsOnInternalsOnlyWhereItMust() {
        noClasses().that().resideInAPackage("io.pgverify")
                .and(not(belongToAnyOf(API_WITH_INTERNALS)))
                .should().dependOnClassesThat().resideInAPackage("io.pgverify.internal..")
                .check(core);
    }

    @Test
    void libraryDependsOnNoCliLibrary() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", "com.fasterxml.jackson..", "io.pgverify.cli..")
                .check(core);
    }
}
