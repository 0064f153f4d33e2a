package io.paybridge.oauth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Packages by feature, without cycles; the vault knows nothing of merchants. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.paybridge.oauth");

  @Test
  void featuresHaveNoCycles() {
    slices().matching("io.paybridge.oauth.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void theVaultAndTheGoCardlessClientDoNotDependOnTheMerchantFeature() {
    noClasses()
        .that()
        .resideInAnyPackage("io.paybridge.oauth.vault..", "io.paybridge.oauth.gocardless..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.paybridge.oauth.merchant..")
        .check(CLASSES);
  }

  @Test
  void controllersDoNotTouchTheDatabase() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.jdbc.core.JdbcTemplate")
        .check(CLASSES);
  }
}
