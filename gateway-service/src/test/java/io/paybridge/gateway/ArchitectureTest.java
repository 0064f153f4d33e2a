package io.paybridge.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Packages by feature without cycles; the gateway never blocks on servlet or JDBC APIs. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.paybridge.gateway");

  @Test
  void featuresHaveNoCycles() {
    slices().matching("io.paybridge.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void noServletOrBlockingDatabaseApis() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..", "java.sql..")
        .check(CLASSES);
  }
}
