package io.paybridge.platform.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The rules every PayBridge service keeps (docs/architecture.md, "Running and testing"), checked
 * against the classes its {@code ArchitectureTest} imports ({@code @AnalyzeClasses} of its own root
 * package, tests left out): {@code @ArchTest static final ArchTests houseRules =
 * ArchTests.in(HouseRules.class);}, next to rules of its own. A service without controllers or SQL
 * (the gateway) takes the fields that apply to it one by one.
 */
public final class HouseRules {

  private HouseRules() {}

  /** Packages by feature ({@code io.paybridge.<service>.<feature>}): no cycle between features. */
  @ArchTest
  public static final ArchRule featuresHaveNoCycles =
      slices().matching("io.paybridge.*.(*)..").should().beFreeOfCycles();

  /** A controller reaches stored state through its feature's service, never by SQL itself. */
  @ArchTest
  public static final ArchRule controllersDoNotTouchTheDatabase =
      noClasses()
          .that()
          .haveSimpleNameEndingWith("Controller")
          .should()
          .dependOnClassesThat()
          .haveSimpleNameEndingWith("Repository")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework.jdbc..", "java.sql..");

  /** SQL is written and run only in {@code *Repository} classes. */
  @ArchTest
  public static final ArchRule sqlStaysInRepositories =
      noClasses()
          .that()
          .haveSimpleNameNotEndingWith("Repository")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework.jdbc..", "java.sql..");

  /**
   * Features answer with exceptions of their own; only the web layer (controllers, exception
   * handlers) speaks HTTP statuses.
   */
  @ArchTest
  public static final ArchRule featuresDoNotThrowHttpExceptions =
      noClasses()
          .that()
          .haveSimpleNameNotEndingWith("Controller")
          .and()
          .haveSimpleNameNotEndingWith("ExceptionHandler")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.springframework.web.server.ResponseStatusException")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.springframework.web.client.HttpClientErrorException")
          .because("the web layer maps a feature's failures to problems (problem+json)");

  /** Settings come from {@code @ConfigurationProperties} records, not {@code @Value} fields. */
  @ArchTest
  public static final ArchRule configurationComesFromPropertiesRecords =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value");

  /**
   * Time comes from the application's one {@link Clock} bean (tests replace it): no class but the
   * application class makes a system clock, and none reads the system's time by itself ({@code
   * Instant.now()} and its kin, {@code System.currentTimeMillis()}).
   */
  @ArchTest
  public static final ArchRule timeComesFromTheClockBean =
      noClasses()
          .that()
          .areNotAnnotatedWith(SpringBootApplication.class)
          .should()
          .callMethod(Clock.class, "systemUTC")
          .orShould()
          .callMethod(Clock.class, "systemDefaultZone")
          .orShould()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(LocalDate.class, "now")
          .orShould()
          .callMethod(LocalDateTime.class, "now")
          .orShould()
          .callMethod(OffsetDateTime.class, "now")
          .orShould()
          .callMethod(ZonedDateTime.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis");

  /**
   * JSON is read and written with the application's one {@code ObjectMapper} (Spring Boot's, with
   * the project's settings), not with mappers made in place.
   */
  @ArchTest
  public static final ArchRule jsonGoesThroughTheApplicationsMapper =
      noClasses()
          .should()
          .callConstructor(tools.jackson.databind.ObjectMapper.class)
          .orShould()
          .callMethod(tools.jackson.databind.json.JsonMapper.class, "builder");

  /** Events leave only through the transactional outbox, never by a Kafka producer. */
  @ArchTest
  public static final ArchRule publishesOnlyThroughTheOutbox =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka.clients.producer..", "org.springframework.kafka.core..");

  /**
   * For services that call GoCardless's API: only through platform/gocardless-client (the official
   * client), never over an HTTP client of their own ({@code ArchTests.in(GoCardlessApi.class)}).
   */
  public static final class GoCardlessApi {

    private GoCardlessApi() {}

    @ArchTest
    public static final ArchRule onlyThroughThePlatformClient =
        noClasses()
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.net.http.HttpClient")
            .orShould()
            .dependOnClassesThat()
            .resideInAPackage("okhttp3..");
  }
}
