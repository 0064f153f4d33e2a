package io.paybridge.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.paybridge.platform.testsupport.architecture.HouseRules;

/**
 * The house rules that apply to a gateway without controllers or a database (HouseRules); it never
 * blocks on servlet or JDBC APIs.
 */
@AnalyzeClasses(
    packages = "io.paybridge.gateway",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest static final ArchRule featuresHaveNoCycles = HouseRules.featuresHaveNoCycles;

  @ArchTest
  static final ArchRule configurationComesFromPropertiesRecords =
      HouseRules.configurationComesFromPropertiesRecords;

  @ArchTest static final ArchRule timeComesFromTheClockBean = HouseRules.timeComesFromTheClockBean;

  @ArchTest
  static final ArchRule jsonGoesThroughTheApplicationsMapper =
      HouseRules.jsonGoesThroughTheApplicationsMapper;

  @ArchTest
  static final ArchRule noServletOrBlockingDatabaseApis =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "jakarta.servlet..", "org.springframework.web.servlet..", "java.sql..");
}
