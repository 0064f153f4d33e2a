package io.paybridge.webhookingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.paybridge.platform.testsupport.architecture.HouseRules;
import org.junit.jupiter.api.Test;

/**
 * The house rules (HouseRules), GoCardless only through platform/gocardless-client, and the
 * platform libraries know nothing of the service.
 */
@AnalyzeClasses(
    packages = "io.paybridge.webhookingest",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests houseRules = ArchTests.in(HouseRules.class);

  @ArchTest static final ArchTests gocardlessApi = ArchTests.in(HouseRules.GoCardlessApi.class);

  @Test
  void platformLibrariesDoNotDependOnTheService() {
    noClasses()
        .that()
        .resideInAPackage("io.paybridge.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.paybridge.webhookingest..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.paybridge"));
  }
}
