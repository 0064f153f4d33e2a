package io.paybridge.billing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Packages by feature without cycles; controllers never touch the database; services never throw
 * HTTP exceptions (the web layer maps their failures); GoCardless only through platform's client.
 */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.paybridge.billing");

  @Test
  void featuresHaveNoCycles() {
    slices().matching("io.paybridge.billing.(*)..").should().beFreeOfCycles().check(CLASSES);
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
  void onlyRepositoriesRunSql() {
    noClasses()
        .that()
        .haveSimpleNameNotEndingWith("Repository")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.springframework.jdbc.core.JdbcTemplate")
        .check(CLASSES);
  }

  @Test
  void onlyControllersAndExceptionHandlersDependOnTheWebLayer() {
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
        .orShould()
        .dependOnClassesThat()
        .haveSimpleName("ResponseStatusException")
        .because("features answer with their own exceptions; the web layer maps them to problems")
        .check(CLASSES);
  }

  @Test
  void gocardlessIsCalledOnlyThroughThePlatformClient() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.net.http.HttpClient")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("okhttp3..")
        .check(CLASSES);
  }
}
