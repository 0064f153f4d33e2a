package io.paybridge.platform.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code consumers}: DOWN while a consumer has been retrying one record for longer than {@code
 * paybridge.consumer.stuck-alert-after} (its partition is held back: a dependency is down, or a
 * record keeps failing), else UP. Details list every record being retried. Keep it out of the
 * readiness and liveness groups: neither taking the instance out of service nor restarting it makes
 * a dependency come back, and the record is retried either way.
 */
final class ConsumerHealthIndicator extends AbstractHealthIndicator {

  private final ConsumerRetries retries;
  private final Clock clock;

  ConsumerHealthIndicator(ConsumerRetries retries, Clock clock) {
    super("Consumer health check failed");
    this.retries = retries;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Instant now = clock.instant();
    var retrying = retries.retrying();
    boolean stuck =
        retrying.stream().anyMatch(r -> r.stuckFor(now).compareTo(retries.stuckAlertAfter()) >= 0);
    (stuck ? builder.down() : builder.up())
        .withDetail("stuckAlertAfter", retries.stuckAlertAfter().toString())
        .withDetail(
            "retrying",
            retrying.stream()
                .map(
                    r -> {
                      Map<String, Object> detail = new LinkedHashMap<>();
                      detail.put("consumer", r.consumer());
                      detail.put("topic", r.topic());
                      detail.put("partition", r.partition());
                      detail.put("offset", r.offset());
                      detail.put("kind", r.kind());
                      detail.put("failingSince", r.failingSince().toString());
                      detail.put("stuckSeconds", r.stuckFor(now).toMillis() / 1000.0);
                      detail.put("attempts", r.attempts());
                      detail.put("lastError", r.lastError());
                      return detail;
                    })
                .toList());
  }
}
