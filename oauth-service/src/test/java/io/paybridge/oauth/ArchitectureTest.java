package io.paybridge.oauth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import io.paybridge.platform.testsupport.architecture.HouseRules;

/** The house rules (HouseRules), and the vault knows nothing of merchants. */
@AnalyzeClasses(
    packages = "io.paybridge.oauth",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests houseRules = ArchTests.in(HouseRules.class);

  @ArchTest
  static final ArchRule theVaultAndTheGoCardlessClientDoNotDependOnTheMerchantFeature =
      noClasses()
          .that()
          .resideInAnyPackage("io.paybridge.oauth.vault..", "io.paybridge.oauth.gocardless..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.paybridge.oauth.merchant..");
}
