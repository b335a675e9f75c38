package com.example.notes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The service uses Skiff's public API only, so that it keeps building as Skiff changes inside:
 * nothing under a {@code dev.skiff…internal} package.
 */
@AnalyzeClasses(packagesOf = ArchitectureTest.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theServiceUsesOnlyThePublicApi = noClasses()
            .that().resideInAPackage(ArchitectureTest.class.getPackageName() + "..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff..internal..");
}
