package dev.skiff.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The benchmarks measure what a user gets, so they reach Skiff through its public API only, as a
 * service would; a benchmark that needs an internal is measuring something no user runs.
 */
@AnalyzeClasses(packagesOf = PublicApiOnlyTest.class, importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiOnlyTest {

    @ArchTest
    static final ArchRule benchmarksUseOnlyThePublicApi = noClasses()
            .that().resideInAPackage("dev.skiff.bench..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff..internal..");
}
