package io.paybridge.webhookingest.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The GoCardless webhook endpoint ({@code paybridge.webhooks.gocardless.*}).
 *
 * @param secrets the webhook endpoint secrets that sign deliveries; several at once while a secret
 *     is rotated (a delivery signed with any of them is accepted). From the secret store, never
 *     committed.
 * @param maxBodySize bodies above this size are refused with 413 without being read
 * @param storageDeadline how long after a delivery was received its transaction may still run: at
 *     the deadline its connection is closed and the delivery is answered 503. GoCardless waits 10 s
 *     for an answer and the platform promises one within 5 s; the pool wait ({@code
 *     spring.datasource.hikari.connection-timeout}) must stay below it
 * @param maxRelayLag while the outbox relay publishes but its events wait longer than this for
 *     Kafka (as its leader last reported, {@link io.paybridge.platform.outbox.RelayBacklog}), new
 *     deliveries are answered 503 {@code relay-behind} before anything is stored, and GoCardless
 *     delivers them again later; this keeps acknowledgement → Kafka bounded when webhooks arrive
 *     faster than the relay publishes. Never while Kafka is down (deliveries are then stored and
 *     wait in the outbox). {@code 0} turns it off
 */
@ConfigurationProperties("paybridge.webhooks.gocardless")
public record WebhookProperties(
    @DefaultValue List<String> secrets,
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("3500ms") Duration storageDeadline,
    @DefaultValue("500ms") Duration maxRelayLag) {

  public WebhookProperties {
    secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
    if (storageDeadline.isNegative() || storageDeadline.isZero()) {
      throw new IllegalArgumentException(
          "paybridge.webhooks.gocardless.storage-deadline must be positive: " + storageDeadline);
    }
    if (maxRelayLag.isNegative()) {
      throw new IllegalArgumentException(
          "paybridge.webhooks.gocardless.max-relay-lag must not be negative: " + maxRelayLag);
    }
  }
}
