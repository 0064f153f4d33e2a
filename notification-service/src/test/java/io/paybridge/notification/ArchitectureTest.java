package io.paybridge.notification;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Packages by feature without cycles; endpoints, email and egress know nothing of deliveries. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.paybridge.notification");

  @Test
  void featuresHaveNoCycles() {
    slices().matching("io.paybridge.notification.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void onlyTheDeliveryFeatureDependsOnDeliveries() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.paybridge.notification.endpoint..",
            "io.paybridge.notification.email..",
            "io.paybridge.notification.egress..",
            "io.paybridge.notification.web..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.paybridge.notification.delivery..")
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

  @Test
  void sqlStaysInRepositories() {
    noClasses()
        .that()
        .haveSimpleNameNotEndingWith("Repository")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.jdbc.core.JdbcTemplate")
        .check(CLASSES);
  }
}
