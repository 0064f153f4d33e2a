package io.paybridge.platform.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the {@code db}, {@code kafka} and {@code outboxRelay} health indicators learn what they
 * report ({@code paybridge.outbox.health.*}).
 *
 * <p>A health request never talks to the database or to Kafka itself: one background thread per
 * check asks every {@code interval}, and a request reads its last answer. So a flood of probes or
 * operators' calls costs no pooled connection (a webhook waits for those) and opens no Kafka
 * connection; in exchange an outage shows in health up to {@code interval + timeout} late.
 *
 * @param interval how often the database (a connection validated from the pool, and the outbox
 *     slot's backlog) and the Kafka cluster (a metadata request over one long-lived admin client)
 *     are checked (default 5s)
 * @param timeout how long one check may take before it counts as failed (default 3s); a check that
 *     has not completed for {@code 2 × (interval + timeout)} is reported DOWN as stale
 */
@ConfigurationProperties("paybridge.outbox.health")
public record OutboxHealthProperties(
    @DefaultValue("5s") Duration interval, @DefaultValue("3s") Duration timeout) {

  public OutboxHealthProperties {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("paybridge.outbox.health.interval must be > 0");
    }
    if (timeout == null || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("paybridge.outbox.health.timeout must be ≥ 1ms");
    }
  }

  /** Past this age a check's last answer no longer stands for the present. */
  Duration staleAfter() {
    return interval.plus(timeout).multipliedBy(2);
  }
}
