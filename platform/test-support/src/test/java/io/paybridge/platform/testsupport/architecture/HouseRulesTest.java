package io.paybridge.platform.testsupport.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.paybridge.fixture.alpha.Alpha;
import io.paybridge.fixture.beta.Beta;
import io.paybridge.platform.testsupport.architecture.fixture.Fixtures;
import org.junit.jupiter.api.Test;

/** Each rule finds the class that breaks it, and passes the classes that keep it. */
class HouseRulesTest {

  private static final JavaClasses KEEPING =
      new ClassFileImporter()
          .importClasses(
              Fixtures.PaymentRepository.class,
              Fixtures.PaymentService.class,
              Fixtures.RefundController.class);

  @Test
  void sqlOutsideARepositoryIsFound() {
    assertBrokenOnlyBy(HouseRules.sqlStaysInRepositories, Fixtures.ReportService.class);
  }

  @Test
  void aControllerUsingARepositoryIsFound() {
    assertBrokenOnlyBy(
        HouseRules.controllersDoNotTouchTheDatabase, Fixtures.PaymentController.class);
  }

  @Test
  void aClockOfItsOwnIsFound() {
    assertBrokenOnlyBy(HouseRules.timeComesFromTheClockBean, Fixtures.ExpiryService.class);
  }

  @Test
  void theSystemsTimeReadByItselfIsFound() {
    assertBrokenOnlyBy(HouseRules.timeComesFromTheClockBean, Fixtures.ReminderService.class);
  }

  @Test
  void anHttpExceptionOutsideTheWebLayerIsFound() {
    assertBrokenOnlyBy(HouseRules.featuresDoNotThrowHttpExceptions, Fixtures.RefundRules.class);
  }

  @Test
  void anHttpClientOfItsOwnForGoCardlessIsFound() {
    assertBrokenOnlyBy(
        HouseRules.GoCardlessApi.onlyThroughThePlatformClient, Fixtures.CreditorReader.class);
  }

  @Test
  void featuresDependingOnEachOtherAreFound() {
    assertThat(HouseRules.featuresHaveNoCycles.evaluate(KEEPING).hasViolation()).isFalse();
    var broken =
        HouseRules.featuresHaveNoCycles.evaluate(
            new ClassFileImporter().importClasses(Alpha.class, Beta.class));
    assertThat(broken.hasViolation()).isTrue();
    assertThat(broken.getFailureReport().toString()).contains("alpha").contains("beta");
  }

  @Test
  void aMapperOfItsOwnIsFound() {
    assertBrokenOnlyBy(HouseRules.jsonGoesThroughTheApplicationsMapper, Fixtures.JsonService.class);
  }

  @Test
  void aValueAnnotationIsFound() {
    assertBrokenOnlyBy(
        HouseRules.configurationComesFromPropertiesRecords, Fixtures.LimitService.class);
  }

  @Test
  void aKafkaProducerIsFound() {
    assertBrokenOnlyBy(HouseRules.publishesOnlyThroughTheOutbox, Fixtures.DirectPublisher.class);
  }

  private static void assertBrokenOnlyBy(ArchRule rule, Class<?> breaking) {
    assertThat(rule.evaluate(KEEPING).hasViolation()).as("classes that keep the rule").isFalse();
    var broken = rule.evaluate(new ClassFileImporter().importClasses(breaking));
    assertThat(broken.hasViolation()).as("%s breaks it", breaking.getSimpleName()).isTrue();
    assertThat(broken.getFailureReport().getDetails())
        .allSatisfy(line -> assertThat(line).contains(breaking.getName()));
  }
}
