package com.example.notes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries of DESIGN.md, checked over the framework jars and this sample: the sample
 * is the one module that sees them all, exactly as a user's service would.
 */
@AnalyzeClasses(packages = "dev.skiff", packagesOf = ArchitectureTest.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theSampleUsesOnlyThePublicApi = noClasses()
            .that().resideInAPackage(ArchitectureTest.class.getPackageName() + "..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff..internal..");

    @ArchTest
    static final ArchRule configInternalsStayInConfig = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.config..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.config.internal..");

    @ArchTest
    static final ArchRule loggingInternalsStayInLogging = noClasses()
            .that().resideOutsideOfPackage("dev.skiff.logging..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.logging.internal..");

    @ArchTest
    static final ArchRule coreInternalsStayInCore = noClasses()
            .that().resideOutsideOfPackages("dev.skiff", "dev.skiff.http..", "dev.skiff.jdbc..", "dev.skiff.internal..")
            .should().dependOnClassesThat().resideInAPackage("dev.skiff.internal..");

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
            .that().resideInAnyPackage("dev.skiff", "dev.skiff.config..", "dev.skiff.logging..", "dev.skiff.testing..")
            .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..");
}
