package dev.skiff.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.skiff.config.internal.UrlCredentials;
import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.internal.Problem;
import dev.skiff.internal.Tracing;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.logging.internal.TraceParent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the framework (ARCHITECTURE.md), checked over its jars from the framework's own
 * build, in the one module that sees them all as a user's service does. Each {@code internal}
 * package is open to its own module and, where named here, to {@code framework-core}, the one
 * module that puts the others together (as a JPMS qualified export would); to nothing else.
 * framework-config has no internal package: its implementation is package-private beside its API.
 */
@AnalyzeClasses(packages = "dev.skiff", importOptions = {ImportOption.DoNotIncludeTests.class,
        FrameworkArchitectureTest.DoNotIncludeTestJars.class})
class FrameworkArchitectureTest {

    /** The packages of framework-core. */
    private static final String[] CORE = {"dev.skiff", "dev.skiff.internal..", "dev.skiff.http..",
            "dev.skiff.modules.."};

    /** Test support shipped in a module's test jar (framework-tracing's OTLP receiver) is not the framework. */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /**
     * framework-tracing joins through the module contract, implements core's tracing interface and
     * reads the log context's traceparent: no more.
     */
    @ArchTest
    static final ArchRule tracingUsesOnlyTheTracingInterfaceOfTheInternals = noClasses()
            .that().resideInAPackage("dev.skiff.tracing..")
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("dev.skiff..internal..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.skiff.tracing..")))
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.skiff.modules.internal..")))
                    .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(Tracing.class, TraceParent.class))));

    /**
     * framework-jdbc joins through the module contract, and answers its own failures in the HTTP
     * server's terms (a failure mapping, a problem) and the lifecycle's (how long a start waits): no more.
     */
    @ArchTest
    static final ArchRule jdbcUsesOnlyTheModuleSupportOfTheInternals = noClasses()
            .that().resideInAPackage("dev.skiff.jdbc..")
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("dev.skiff..internal..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.skiff.jdbc..")))
                    .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.skiff.modules.internal..")))
                    .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(FailureMapping.class, Problem.class,
                            Lifecycle.class, Lifecycle.Wait.class, UrlCredentials.class))));

    /** The drain decides from what it is told; it knows nothing of the server it watches for, nor of the client. */
    @ArchTest
    static final ArchRule theDrainKnowsNothingOfTheServer = noClasses()
            .that().resideInAPackage("dev.skiff.http.drain..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.skiff.http.internal..",
                    "dev.skiff.http.client..", "io.undertow..", "org.xnio..");

    /** The one reading of a URL's credentials is shared by the modules that read URLs: no more. */
    @ArchTest
    static final ArchRule configInternalsStayWithTheReadersOfUrls = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.config..").and().resideOutsideOfPackage("dev.skiff.logging..")
            .and().resideOutsideOfPackages(CORE).and().resideOutsideOfPackage("dev.skiff.jdbc..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.config.internal..");


    /** How setups bind (collecting problems, secrets per process) is the launcher's alone. */
    @ArchTest
    static final ArchRule theCollectingViewIsTheLaunchers = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.config..").and().resideOutsideOfPackages(CORE)
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.config.launch.internal..");

    /** The public API: every type a user can learn, and no more than this many. */
    /** The API; {@code dev.skiff.http.undertow} is the escape hatch to the engine, apart from what a handler needs. */
    private static final List<String> API_PACKAGES = List.of("dev.skiff", "dev.skiff.http", "dev.skiff.http.undertow",
            "dev.skiff.config", "dev.skiff.lifecycle", "dev.skiff.logging", "dev.skiff.testing");
    private static final int MAX_PUBLIC_TYPES = 32;

    @ArchTest
    static final ArchRule loggingInternalsStayInLoggingAndCore = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.logging..").and().resideOutsideOfPackages(CORE)
            .and().resideOutsideOfPackage("dev.skiff.tracing..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.logging.internal..");

    @ArchTest
    static final ArchRule lifecycleInternalsStayInLifecycleAndCore = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.lifecycle..").and().resideOutsideOfPackages(CORE)
            .and().resideOutsideOfPackage("dev.skiff.jdbc..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.lifecycle.internal..");

    @ArchTest
    static final ArchRule coreInternalsStayInCoreAndItsModules = noClasses()
            .that().resideOutsideOfPackages(CORE).and().resideOutsideOfPackage("dev.skiff.tracing..")
            .and().resideOutsideOfPackage("dev.skiff.jdbc..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.skiff.internal..", "dev.skiff.http.internal..",
                    "dev.skiff.http.client.internal..", "dev.skiff.http.drain.internal..", "dev.skiff.modules.internal..",
                    "dev.skiff.jdbc.internal..");

    /** The launcher assembles modules: it names none of the framework's own. */
    @ArchTest
    static final ArchRule coreNamesNoModuleOfItsOwn = noClasses()
            .that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("dev.skiff.jdbc..", "dev.skiff.tracing..");

    @ArchTest
    static final ArchRule testingUsesOnlyThePublicApi = noClasses()
            .that().resideInAPackage("dev.skiff.testing..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff..internal..");

    @ArchTest
    static final ArchRule onlyTheLauncherEndsTheProcess = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.skiff.Skiff")
            .should().callMethod(System.class, "exit", int.class)
            .orShould().callMethod(Runtime.class, "halt", int.class)
            .orShould().callMethod(Runtime.class, "exit", int.class)
            .orShould().callMethod("dev.skiff.logging.internal.Logging", "stop")
            .because("one place flushes, stops logging last and ends the process: Skiff.run");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.skiff.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule configLogsNothingItself = noClasses()
            .that().resideInAPackage("dev.skiff.config..")
            .should().dependOnClassesThat().resideInAnyPackage("org.slf4j..", "ch.qos.logback..");

    @ArchTest
    static final ArchRule lifecycleNeverSeesTheHttpEngine = noClasses()
            .that().resideInAPackage("dev.skiff.lifecycle..")
            .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..", "dev.skiff.logging..");

    @ArchTest
    static final ArchRule undertowStaysBehindTheEscapeHatch = noClasses()
            .that().resideInAnyPackage("dev.skiff", "dev.skiff.http", "dev.skiff.config..", "dev.skiff.logging..",
                    "dev.skiff.testing..")
            .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..");

    @Test
    void thePublicApiIsAHandfulOfTypes() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(new DoNotIncludeTestJars()).importPackages("dev.skiff");
        Set<String> api = classes.stream()
                .filter(type -> API_PACKAGES.contains(type.getPackageName()))
                .filter(FrameworkArchitectureTest::visibleToUsers)
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(api).as("the public types of " + API_PACKAGES).containsExactlyInAnyOrder(
                "dev.skiff.App", "dev.skiff.Command", "dev.skiff.Components", "dev.skiff.Module", "dev.skiff.Routes",
                "dev.skiff.RunningService", "dev.skiff.Skiff", "dev.skiff.Task",
                "dev.skiff.http.Context", "dev.skiff.http.Handler", "dev.skiff.http.HttpException",
                "dev.skiff.http.ServiceClient", "dev.skiff.http.TypeToken", "dev.skiff.http.undertow.UndertowContext",
                "dev.skiff.config.ByteSize", "dev.skiff.config.ConfigProblem", "dev.skiff.config.Configuration",
                "dev.skiff.config.ConfigurationException", "dev.skiff.config.Secret",
                "dev.skiff.lifecycle.Component", "dev.skiff.lifecycle.HealthCheck", "dev.skiff.lifecycle.HealthState",
                "dev.skiff.lifecycle.ShutdownResult", "dev.skiff.lifecycle.StartupException",
                "dev.skiff.logging.LogContext", "dev.skiff.logging.LogContext$Scope",
                "dev.skiff.testing.AppProcess", "dev.skiff.testing.AppProcess$Signal", "dev.skiff.testing.DeploymentFiles",
                "dev.skiff.testing.LogEvent",
                "dev.skiff.testing.SkiffExtension");
        assertThat(api).hasSizeLessThanOrEqualTo(MAX_PUBLIC_TYPES);
        // Every public type lives in an API package: nothing public hides in a package of its own.
        Set<String> publicPackages = classes.stream().filter(FrameworkArchitectureTest::visibleToUsers)
                .map(JavaClass::getPackageName)
                .filter(name -> !name.contains(".internal") && !name.startsWith("dev.skiff.bench"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(publicPackages).isSubsetOf(API_PACKAGES);
    }

    /** A public type a user can reach: top level, or nested in a public type. */
    private static boolean visibleToUsers(JavaClass type) {
        if (!type.getModifiers().contains(JavaModifier.PUBLIC) || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        return type.getEnclosingClass().map(FrameworkArchitectureTest::visibleToUsers).orElse(true);
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        Path root = Path.of("..");
        Set<Path> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.toString().endsWith(".java") && file.toString().contains("/src/main/java/dev/skiff/")
                            && !file.toString().contains("/target/"))
                    .forEach(file -> packages.add(file.getParent()));
        }
        assertThat(packages).as("the framework's packages").hasSizeGreaterThan(10);
        assertThat(packages).allSatisfy(pkg -> assertThat(pkg.resolve("package-info.java"))
                .as("package-info.java in " + root.relativize(pkg)).exists());
    }
}
