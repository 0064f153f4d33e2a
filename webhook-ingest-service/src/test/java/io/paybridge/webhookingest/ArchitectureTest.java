package io.paybridge.webhookingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The service's rules: the platform libraries know nothing of it, it never writes to Kafka itself
 * (only through the outbox), controllers leave storage to the services, SQL stays in repositories,
 * and configuration comes from properties records.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.paybridge");

  @Test
  void platformLibrariesDoNotDependOnTheService() {
    noClasses()
        .that()
        .resideInAPackage("io.paybridge.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.paybridge.webhookingest..")
        .check(CLASSES);
  }

  @Test
  void theServicePublishesOnlyThroughTheOutbox() {
    noClasses()
        .that()
        .resideInAPackage("io.paybridge.webhookingest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka.clients.producer..", "org.springframework.kafka.core..")
        .check(CLASSES);
  }

  @Test
  void controllersDoNotTouchTheDatabase() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Controller")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
        .check(CLASSES);
  }

  @Test
  void sqlStaysInRepositories() {
    noClasses()
        .that()
        .resideInAPackage("io.paybridge.webhookingest..")
        .and()
        .haveSimpleNameNotEndingWith("Repository")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
        .check(CLASSES);
  }

  @Test
  void configurationComesFromPropertiesRecordsNotValueAnnotations() {
    noClasses()
        .that()
        .resideInAPackage("io.paybridge.webhookingest..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value")
        .check(CLASSES);
  }
}
