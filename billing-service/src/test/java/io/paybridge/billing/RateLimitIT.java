package io.paybridge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GoCardless's 429 as a team sees it through billing-service, and the per-merchant limiter keeping
 * to GoCardless's {@code RateLimit-Reset} (docs/gocardless/API.md §1.5: 429 {@code
 * invalid_api_usage}/{@code rate_limit_exceeded} with {@code RateLimit-Limit}, {@code -Remaining},
 * {@code -Reset} as an HTTP-date). The proxy in front of the simulator answers that 429 to one
 * merchant's token only, as GoCardless does to a token whose allowance is used up.
 */
class RateLimitIT extends BillingIntegrationTest {

  private static final String TEAM = "team-ratelimit";
  private static final String PROBLEM = "https://paybridge.io/problems/gocardless-rate-limited";

  @Test
  void a429IsAProblemWithRetryAfterAndTheMerchantWaitsForTheResetWhileOthersGoOn() {
    var busy = connectNewMerchant(TEAM, "Busy Merchant");
    var other = connectNewMerchant(TEAM, "Other Merchant");
    // An HTTP-date has whole seconds: the reset is a whole second, far enough ahead for the steps
    // below to run before it on a loaded machine.
    Instant reset = Instant.now().plusSeconds(12).truncatedTo(ChronoUnit.SECONDS);
    world.gocardless.rateLimit(busy.organisation().accessToken(), reset);
    int refusedBefore = world.gocardless.rateLimitedRequests();
    String key = UUID.randomUUID().toString();
    try {
      var first = create(busy, key);
      assertThat(first.status()).as(first.body()).isEqualTo(429);
      assertThat(first.json().get("type").asString()).isEqualTo(PROBLEM);
      assertThat(first.header("Content-Type")).startsWith("application/problem+json");
      assertThat(first.json().get("requestId").asString()).isNotBlank();
      long retryAfter = Long.parseLong(first.header("Retry-After"));
      long untilReset = Duration.between(Instant.now(), reset).toSeconds();
      // Seconds to GoCardless's reset, rounded up.
      assertThat(retryAfter).isBetween(untilReset, 12L);
      assertThat(world.gocardless.rateLimitedRequests()).isEqualTo(refusedBefore + 1);

      // The same create retried at once: refused here, not sent to GoCardless.
      var again = create(busy, key);
      assertThat(again.status()).isEqualTo(429);
      assertThat(again.json().get("type").asString()).isEqualTo(PROBLEM);
      assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(1L, retryAfter);
      assertThat(world.gocardless.rateLimitedRequests()).isEqualTo(refusedBefore + 1);

      // Another merchant's allowance is its own.
      var elsewhere = create(other, UUID.randomUUID().toString());
      assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);

      // GoCardless would take the busy merchant's calls again, but its reset is not reached:
      // still nothing is sent.
      world.gocardless.rateLimit(null, null);
      var beforeReset = create(busy, key);
      assertThat(beforeReset.status()).isEqualTo(429);
      assertThat(Instant.now()).isBefore(reset);
    } finally {
      world.gocardless.rateLimit(null, null);
    }
    assertThat(world.gocardless.rateLimitedRequests()).isEqualTo(refusedBefore + 1);
    assertThat(createdAtGoCardless(busy)).isZero();

    // After the reset the same key goes through: one billing request.
    sleepUntil(reset.plusMillis(200));
    var afterReset = create(busy, key);
    assertThat(afterReset.status()).as(afterReset.body()).isEqualTo(201);
    assertThat(createdAtGoCardless(busy)).isEqualTo(1);
  }

  private Http.Response create(Connected merchant, String key) {
    return postWithKey(
        merchant.team(),
        "/billing-requests",
        key,
        """
        {"merchantId":"%s","paymentRequest":{"amount":1500,"currency":"GBP","description":"Rates"}}
        """
            .formatted(merchant.merchantId()));
  }

  private long createdAtGoCardless(Connected merchant) {
    return world.eventsOf(merchant.organisation()).stream()
        .filter(e -> e.path("resource_type").asString().equals("billing_requests"))
        .filter(e -> e.path("action").asString().equals("created"))
        .count();
  }

  private static void sleepUntil(Instant at) {
    long millis = Duration.between(Instant.now(), at).toMillis();
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
