package io.paybridge.platform.gocardless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gocardless.resources.Customer;
import com.gocardless.resources.Mandate;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.paybridge.platform.testsupport.http.FaultyProxy;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatorSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configured client against the GoCardless simulator: the error taxonomy, idempotent creates, a
 * refused token fetched again once, 429s and the circuit breaker. Expected errors are those
 * docs/gocardless/API.md §1.6-1.7 lists.
 */
class GoCardlessTest {

  private static GoCardlessSimulator simulator;
  private static FaultyProxy proxy;
  private static SimulatedOrganisation merchant;

  @BeforeAll
  static void start() {
    simulator =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withTickInterval(Duration.ZERO)
                .withRateLimit(8, Duration.ofMinutes(1)));
    proxy = FaultyProxy.to(simulator.baseUrl());
    merchant = simulator.createOrganisation("Client Test Ltd", "successful");
  }

  @AfterAll
  static void stop() {
    proxy.close();
    simulator.close();
  }

  private static GoCardlessProperties properties(int minimumCalls) {
    return new GoCardlessProperties(
        URI.create(proxy.url()),
        "test",
        URI.create("http://127.0.0.1:1"),
        "oauth-service",
        Duration.ofMinutes(5),
        100,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        3,
        Duration.ofMillis(10),
        50,
        minimumCalls,
        minimumCalls,
        Duration.ofMinutes(1),
        4,
        1000,
        0,
        Duration.ofSeconds(60));
  }

  private static GoCardless gocardless(MerchantTokens tokens) {
    return gocardless(tokens, 1000);
  }

  private static GoCardless gocardless(MerchantTokens tokens, int minimumCalls) {
    return new GoCardless(
        properties(minimumCalls),
        tokens,
        Clock.systemUTC(),
        CircuitBreakerRegistry.ofDefaults(),
        RetryRegistry.ofDefaults(),
        BulkheadRegistry.ofDefaults(),
        RateLimiterRegistry.ofDefaults());
  }

  private static MerchantTokens tokenOf(SimulatedOrganisation organisation) {
    return id -> new MerchantToken(id, organisation.organisationId(), organisation.accessToken());
  }

  private static Customer newCustomer(GoCardless gocardless, String merchantId, String key) {
    return gocardless
        .create(
            merchantId,
            c ->
                c.customers()
                    .create()
                    .withGivenName("Ada")
                    .withFamilyName("Lovelace")
                    .withEmail("ada@example.com")
                    .withIdempotencyKey(key)
                    .execute(),
            (c, id) -> c.customers().get(id).execute())
        .resource();
  }

  @Test
  void aCreateRepeatedWithItsKeyGivesTheResourceOfTheFirst() {
    simulator.resetRateLimits();
    var gocardless = gocardless(tokenOf(merchant));
    String key =
        gocardless.idempotencyKey(merchant.organisationId(), "customer:" + UUID.randomUUID());

    var first =
        gocardless.create(
            "m1",
            c ->
                c.customers()
                    .create()
                    .withGivenName("A")
                    .withFamilyName("B")
                    .withIdempotencyKey(key)
                    .execute(),
            (c, id) -> c.customers().get(id).execute());
    var second =
        gocardless.create(
            "m1",
            c ->
                c.customers()
                    .create()
                    .withGivenName("A")
                    .withFamilyName("B")
                    .withIdempotencyKey(key)
                    .execute(),
            (c, id) -> c.customers().get(id).execute());

    assertThat(first.existing()).isFalse();
    assertThat(second.existing()).isTrue();
    assertThat(second.resource().getId()).isEqualTo(first.resource().getId());
  }

  @Test
  void idempotencyKeysAreScopedByEnvironmentOrganisationAndIntent() {
    String key = GoCardless.idempotencyKey("live", "OR1", "payment:team-a:k1");
    assertThat(GoCardless.idempotencyKey("live", "OR1", "payment:team-a:k1")).isEqualTo(key);
    assertThat(GoCardless.idempotencyKey("sandbox", "OR1", "payment:team-a:k1")).isNotEqualTo(key);
    assertThat(GoCardless.idempotencyKey("live", "OR2", "payment:team-a:k1")).isNotEqualTo(key);
    assertThat(GoCardless.idempotencyKey("live", "OR1", "payment:team-b:k1")).isNotEqualTo(key);
  }

  @Test
  void errorsFollowTheTaxonomy() {
    simulator.resetRateLimits();
    var gocardless = gocardless(tokenOf(merchant));

    assertThatThrownBy(() -> gocardless.read("m1", c -> c.payments().get("PM00NOSUCH").execute()))
        .isInstanceOf(GoCardlessFailure.NotFound.class);

    // A bank account with a sort code that is not a number: a field error (API.md §1.7).
    Customer customer = newCustomer(gocardless, "m1", UUID.randomUUID().toString());
    assertThatThrownBy(
            () ->
                gocardless.once(
                    "m1",
                    c ->
                        c.customerBankAccounts()
                            .create()
                            .withAccountHolderName("Ada Lovelace")
                            .withCountryCode("GB")
                            .withBranchCode("not-a-number")
                            .withAccountNumber("55779911")
                            .withLinksCustomer(customer.getId())
                            .execute()))
        .isInstanceOfSatisfying(
            GoCardlessFailure.ValidationFailed.class,
            e ->
                assertThat(e.fields())
                    .extracting(GoCardlessFailure.FieldError::field)
                    .isNotEmpty());

    var account =
        gocardless.once(
            "m1",
            c ->
                c.customerBankAccounts()
                    .create()
                    .withAccountHolderName("Ada Lovelace")
                    .withCountryCode("GB")
                    .withBranchCode("200000")
                    .withAccountNumber("55779911")
                    .withLinksCustomer(customer.getId())
                    .execute());
    Mandate mandate =
        gocardless.once(
            "m1",
            c -> c.mandates().create().withLinksCustomerBankAccount(account.getId()).execute());
    gocardless.once("m1", c -> c.mandates().cancel(mandate.getId()).execute());

    // Cancelling a cancelled mandate: invalid state, cancellation_failed (API.md §1.7).
    assertThatThrownBy(
            () -> gocardless.once("m1", c -> c.mandates().cancel(mandate.getId()).execute()))
        .isInstanceOfSatisfying(
            GoCardlessFailure.InvalidState.class,
            e -> assertThat(e.reason()).isEqualTo("cancellation_failed"));
  }

  @Test
  void aRefusedTokenIsFetchedAgainOnce() {
    simulator.resetRateLimits();
    var fetches = new AtomicInteger();
    MerchantTokens replacedAfterFirst =
        id ->
            new MerchantToken(
                id,
                merchant.organisationId(),
                fetches.getAndIncrement() == 0 ? "revoked-token" : merchant.accessToken());
    var gocardless = gocardless(replacedAfterFirst);

    var creditors = gocardless.read("m1", c -> c.creditors().list().execute().getItems());

    assertThat(creditors).isNotEmpty();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aTokenRefusedTwiceMeansTheMerchantMustReconnect() {
    simulator.resetRateLimits();
    var fetches = new AtomicInteger();
    MerchantTokens revoked =
        id -> {
          fetches.incrementAndGet();
          return new MerchantToken(id, merchant.organisationId(), "revoked-token");
        };
    var gocardless = gocardless(revoked);

    assertThatThrownBy(() -> gocardless.read("m1", c -> c.creditors().list().execute()))
        .isInstanceOf(GoCardlessFailure.ReconnectionRequired.class);
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aRateLimitedMerchantWaitsForTheResetWithoutCallingAgain() {
    var busy = simulator.createOrganisation("Busy Ltd", "successful");
    simulator.resetRateLimits();
    var gocardless = gocardless(tokenOf(busy));

    List<GoCardlessFailure> failures = new ArrayList<>();
    for (int i = 0; i < 10 && failures.isEmpty(); i++) {
      try {
        gocardless.read("busy", c -> c.creditors().list().execute());
      } catch (GoCardlessFailure e) {
        failures.add(e);
      }
    }
    assertThat(failures).singleElement().isInstanceOf(GoCardlessFailure.RateLimited.class);
    var limited = (GoCardlessFailure.RateLimited) failures.getFirst();
    // The simulator's window is a minute (RateLimit-Reset an HTTP-date within it).
    assertThat(limited.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(61));

    int relayed = proxy.relayed().size();
    assertThatThrownBy(() -> gocardless.read("busy", c -> c.creditors().list().execute()))
        .isInstanceOf(GoCardlessFailure.RateLimited.class);
    assertThat(proxy.relayed()).as("refused before it is sent").hasSize(relayed);
  }

  @Test
  void gocardlessDownIsUnavailableAndOpensTheCircuit() {
    simulator.resetRateLimits();
    var gocardless = gocardless(tokenOf(merchant), 4);
    proxy.down(true);
    try {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> gocardless.read("m1", c -> c.creditors().list().execute()))
            .isInstanceOf(GoCardlessFailure.Unavailable.class);
      }
      assertThat(gocardless.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThatThrownBy(() -> gocardless.read("m1", c -> c.creditors().list().execute()))
          .isInstanceOfSatisfying(
              GoCardlessFailure.Unavailable.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
    } finally {
      proxy.down(false);
    }
  }

  @Test
  void anActionIsNotRepeated() {
    simulator.resetRateLimits();
    var gocardless = gocardless(tokenOf(merchant));
    proxy.down(true);
    int before = gocardless.circuitBreaker().getMetrics().getNumberOfBufferedCalls();
    try {
      assertThatThrownBy(
              () -> gocardless.once("m1", c -> c.mandates().cancel("MD00NOSUCH").execute()))
          .isInstanceOf(GoCardlessFailure.Unavailable.class);
    } finally {
      proxy.down(false);
    }
    assertThat(gocardless.circuitBreaker().getMetrics().getNumberOfBufferedCalls())
        .isEqualTo(before + 1);
  }
}
