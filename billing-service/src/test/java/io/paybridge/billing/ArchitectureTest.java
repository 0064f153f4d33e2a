package io.paybridge.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import io.paybridge.platform.testsupport.architecture.HouseRules;

/**
 * The house rules (HouseRules), GoCardless only through platform/gocardless-client, and only
 * controllers and exception handlers use the web layer's classes.
 */
@AnalyzeClasses(
    packages = "io.paybridge.billing",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests houseRules = ArchTests.in(HouseRules.class);

  @ArchTest static final ArchTests gocardlessApi = ArchTests.in(HouseRules.GoCardlessApi.class);

  @ArchTest
  static final ArchRule onlyControllersAndExceptionHandlersDependOnTheWebLayer =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.paybridge.billing.web..")
          .and()
          .haveSimpleNameNotEndingWith("Controller")
          .and()
          .haveSimpleNameNotEndingWith("ExceptionHandler")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.paybridge.billing.web..")
          .because(
              "features answer with their own exceptions; the web layer maps them to problems");
}
