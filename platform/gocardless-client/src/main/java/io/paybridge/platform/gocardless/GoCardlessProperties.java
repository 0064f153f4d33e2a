package io.paybridge.platform.gocardless;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service calls GoCardless on its merchants' behalf ({@code paybridge.gocardless.*}).
 *
 * @param baseUrl the API: {@code https://api.gocardless.com/} (live), {@code
 *     https://api-sandbox.gocardless.com/} (sandbox) or the simulator's URL. Required; a service
 *     sets it to {@code ${paybridge.gocardless.api-url}}, which web-support derives from the
 *     environment. A URL with a path must end in {@code /} (the official client resolves paths
 *     relative to it); a missing one is added
 * @param environment the platform's one GoCardless setting ({@code simulator}, {@code sandbox},
 *     {@code live}; web-support's {@code GoCardlessEnvironment}), also the environment's name in
 *     idempotency keys, so that a key used against one never collides with another's (default
 *     {@code sandbox})
 * @param merchantTokensUrl oauth-service's base URL; merchant tokens are read from its {@code GET
 *     /internal/merchants/{id}/access-token}. Required
 * @param clientRegistrationId the Spring Security OAuth2 client registration ({@code
 *     spring.security.oauth2.client.registration.<id>}, client credentials) whose token authorises
 *     that call (default {@code oauth-service})
 * @param tokenTtl how long a merchant's token is kept in memory after it was fetched (default 5m);
 *     it is never written anywhere
 * @param maxMerchants most merchants whose token and client are kept at once (default 1000); the
 *     least recently used are dropped
 * @param connectTimeout connecting to GoCardless (default 2s)
 * @param readTimeout waiting for a response's bytes (default 10s)
 * @param callTimeout one whole call, from connecting to the last byte (default 15s)
 * @param retryAttempts attempts of a call that is safe to repeat (reads, creates with an
 *     idempotency key) when GoCardless is unavailable (default 3); other calls are made once
 * @param retryWait the wait before the second attempt, doubled for each further one (default 200ms)
 * @param failureRateThreshold percentage of failed calls (5xx, timeouts, connection failures) over
 *     the last {@code slidingWindowSize} calls that opens the circuit breaker (default 50)
 * @param slidingWindowSize calls the failure rate is measured over (default 20)
 * @param minimumCalls calls needed before the failure rate counts (default 10)
 * @param openStateWait how long the circuit stays open, refusing calls at once, before letting a
 *     few through (default 30s)
 * @param maxConcurrentCallsPerMerchant calls in flight for one merchant at once, so that a slow
 *     merchant cannot take every thread (default 8); more are refused at once as unavailable
 * @param requestsPerMinute the client-side limit per merchant token, below GoCardless's own (1000 a
 *     minute; the {@code RateLimit-Limit} header, when sent, replaces it) (default 1000)
 * @param rateLimitReserve requests of GoCardless's remaining allowance ({@code
 *     RateLimit-Remaining}) that the client leaves unused until {@code RateLimit-Reset} (default 0)
 * @param defaultRateLimitReset the wait after a 429 that came without a readable {@code
 *     RateLimit-Reset} (default 60s)
 */
@ConfigurationProperties("paybridge.gocardless")
public record GoCardlessProperties(
    URI baseUrl,
    @DefaultValue("sandbox") String environment,
    URI merchantTokensUrl,
    @DefaultValue("oauth-service") String clientRegistrationId,
    @DefaultValue("5m") Duration tokenTtl,
    @DefaultValue("1000") int maxMerchants,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration readTimeout,
    @DefaultValue("15s") Duration callTimeout,
    @DefaultValue("3") int retryAttempts,
    @DefaultValue("200ms") Duration retryWait,
    @DefaultValue("50") float failureRateThreshold,
    @DefaultValue("20") int slidingWindowSize,
    @DefaultValue("10") int minimumCalls,
    @DefaultValue("30s") Duration openStateWait,
    @DefaultValue("8") int maxConcurrentCallsPerMerchant,
    @DefaultValue("1000") int requestsPerMinute,
    @DefaultValue("0") int rateLimitReserve,
    @DefaultValue("60s") Duration defaultRateLimitReset) {

  public GoCardlessProperties {
    if (baseUrl == null || !baseUrl.isAbsolute()) {
      throw new IllegalArgumentException(
          "paybridge.gocardless.base-url is not set: the GoCardless API (live, sandbox or the"
              + " simulator)");
    }
    if (!baseUrl.toString().endsWith("/")) {
      // The official client resolves "payments" against the base: without the slash a path
      // prefix would be dropped silently (STACK.md).
      baseUrl = URI.create(baseUrl + "/");
    }
    if (merchantTokensUrl == null || !merchantTokensUrl.isAbsolute()) {
      throw new IllegalArgumentException(
          "paybridge.gocardless.merchant-tokens-url is not set: oauth-service's base URL");
    }
    if (environment == null || !environment.matches("[a-z0-9-]{1,20}")) {
      throw new IllegalArgumentException(
          "paybridge.gocardless.environment must be 1-20 lowercase letters, digits or '-'");
    }
    if (retryAttempts < 1 || maxConcurrentCallsPerMerchant < 1 || requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "paybridge.gocardless: retry-attempts, max-concurrent-calls-per-merchant and"
              + " requests-per-minute must be at least 1");
    }
  }
}
