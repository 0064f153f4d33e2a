package io.paybridge.platform.gocardless;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

/**
 * The platform's GoCardless set-up, on when {@code paybridge.gocardless.base-url} is set: {@link
 * GoCardless}, merchant tokens from oauth-service ({@link OAuthServiceMerchantTokens}, authorised
 * by the client registration {@code paybridge.gocardless.client-registration-id}), the resilience4j
 * registries with their Micrometer metrics, and a health indicator showing the circuit breaker.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "paybridge.gocardless", name = "base-url")
@EnableConfigurationProperties({GoCardlessProperties.class, GoCardlessTlsProperties.class})
public class GoCardlessClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CircuitBreakerRegistry gocardlessCircuitBreakers() {
    return CircuitBreakerRegistry.ofDefaults();
  }

  @Bean
  @ConditionalOnMissingBean
  RetryRegistry gocardlessRetries() {
    return RetryRegistry.ofDefaults();
  }

  @Bean
  @ConditionalOnMissingBean
  BulkheadRegistry gocardlessBulkheads() {
    return BulkheadRegistry.ofDefaults();
  }

  @Bean
  @ConditionalOnMissingBean
  RateLimiterRegistry gocardlessRateLimiters() {
    return RateLimiterRegistry.ofDefaults();
  }

  @Bean
  @ConditionalOnMissingBean
  MerchantTokens merchantTokens(
      GoCardlessProperties properties,
      ClientRegistrationRepository registrations,
      RestClient.Builder restClients) {
    var authorizedClients =
        new AuthorizedClientServiceOAuth2AuthorizedClientManager(
            registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
    var bearer = new OAuth2ClientHttpRequestInterceptor(authorizedClients);
    String registration = properties.clientRegistrationId();
    bearer.setClientRegistrationIdResolver(request -> registration);
    var requests = new JdkClientHttpRequestFactory();
    requests.setReadTimeout(Duration.ofSeconds(5));
    return new OAuthServiceMerchantTokens(
        restClients
            .clone()
            .baseUrl(properties.merchantTokensUrl().toString())
            .requestFactory(requests)
            .requestInterceptor(bearer)
            .build());
  }

  @Bean
  @ConditionalOnMissingBean
  GoCardless gocardless(
      GoCardlessProperties properties,
      MerchantTokens tokens,
      ObjectProvider<Clock> clock,
      CircuitBreakerRegistry circuitBreakers,
      RetryRegistry retries,
      BulkheadRegistry bulkheads,
      RateLimiterRegistry rateLimiters,
      GoCardlessTlsProperties tls,
      ObjectProvider<SslBundles> bundles) {
    SslBundle trust = null;
    if (tls.bundle() != null && !tls.bundle().isBlank()) {
      trust =
          bundles
              .getIfAvailable(
                  () -> {
                    throw new IllegalStateException(
                        "paybridge.gocardless.tls.bundle is set but no SSL bundles are configured");
                  })
              .getBundle(tls.bundle());
    }
    return new GoCardless(
        properties,
        tokens,
        clock.getIfAvailable(Clock::systemUTC),
        circuitBreakers,
        retries,
        bulkheads,
        rateLimiters,
        trust);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static class Metrics {

    /** {@code resilience4j_circuitbreaker_*}, tagged {@code name=gocardless}. */
    @Bean
    MeterBinder gocardlessCircuitBreakerMetrics(CircuitBreakerRegistry registry) {
      return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry);
    }

    @Bean
    MeterBinder gocardlessRetryMetrics(RetryRegistry registry) {
      return TaggedRetryMetrics.ofRetryRegistry(registry);
    }

    /** {@code resilience4j_bulkhead_*}, one per merchant ({@code name=gocardless-OR…}). */
    @Bean
    MeterBinder gocardlessBulkheadMetrics(BulkheadRegistry registry) {
      return TaggedBulkheadMetrics.ofBulkheadRegistry(registry);
    }

    /** {@code resilience4j_ratelimiter_*}, one per merchant ({@code name=gocardless-OR…}). */
    @Bean
    MeterBinder gocardlessRateLimiterMetrics(RateLimiterRegistry registry) {
      return TaggedRateLimiterMetrics.ofRateLimiterRegistry(registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class GoCardlessHealth {

    /**
     * Always UP: GoCardless being down must not take the service out of its load balancer (reads
     * are served from the projections); the breaker's state is in the details.
     */
    @Bean
    HealthIndicator gocardlessHealthIndicator(GoCardless gocardless) {
      return () -> {
        CircuitBreaker breaker = gocardless.circuitBreaker();
        var metrics = breaker.getMetrics();
        return Health.up()
            .withDetail("circuitBreaker", breaker.getState().name())
            .withDetail("failureRate", metrics.getFailureRate())
            .withDetail("bufferedCalls", metrics.getNumberOfBufferedCalls())
            .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls())
            .build();
      };
    }
  }
}
