package io.paybridge.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.paybridge.gateway.problem.RequestTooLargeException;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The services' breakers and time limits from {@link ResilienceProperties}. */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

  @Bean
  Customizer<ReactiveResilience4JCircuitBreakerFactory> breakers(ResilienceProperties properties) {
    return factory ->
        factory.configureDefault(
            service -> {
              var breaker = properties.of(service);
              return new Resilience4JConfigBuilder(service)
                  .timeLimiterConfig(
                      TimeLimiterConfig.custom()
                          .timeoutDuration(breaker.timeout())
                          .cancelRunningFuture(true)
                          .build())
                  .circuitBreakerConfig(
                      CircuitBreakerConfig.custom()
                          .failureRateThreshold(breaker.failureRateThreshold())
                          .slidingWindowSize(breaker.slidingWindowSize())
                          .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                          .waitDurationInOpenState(breaker.waitInOpenState())
                          .permittedNumberOfCallsInHalfOpenState(
                              breaker.permittedCallsInHalfOpenState())
                          // A client's oversized body says nothing about the service's health.
                          .ignoreExceptions(RequestTooLargeException.class)
                          .build())
                  .build();
            });
  }
}
