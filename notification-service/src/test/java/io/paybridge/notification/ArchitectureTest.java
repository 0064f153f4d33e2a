package io.paybridge.notification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import io.paybridge.platform.testsupport.architecture.HouseRules;

/** The house rules (HouseRules), and endpoints, email and egress know nothing of deliveries. */
@AnalyzeClasses(
    packages = "io.paybridge.notification",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchTests houseRules = ArchTests.in(HouseRules.class);

  @ArchTest
  static final ArchRule onlyTheDeliveryFeatureDependsOnDeliveries =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.paybridge.notification.endpoint..",
              "io.paybridge.notification.email..",
              "io.paybridge.notification.egress..",
              "io.paybridge.notification.web..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.paybridge.notification.delivery..");
}
