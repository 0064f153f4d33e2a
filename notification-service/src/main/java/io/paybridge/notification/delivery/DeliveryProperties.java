package io.paybridge.notification.delivery;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How deliveries are attempted ({@code paybridge.notification.delivery.*}).
 *
 * @param workerEnabled whether this instance attempts deliveries at all (default {@code true};
 *     every instance shares the due deliveries through {@code FOR UPDATE SKIP LOCKED})
 * @param retrySchedule the waits before the 2nd, 3rd, ... attempt after a failure; when used up,
 *     the delivery is dead (default Standard Webhooks' reference schedule after the immediate first
 *     attempt: 5s, 5m, 30m, 2h, 5h, 10h, 10h)
 * @param jitter each wait is multiplied by a random factor in [1 - jitter, 1 + jitter] so that the
 *     retries of many deliveries failing together spread out (default 0.2)
 * @param connectTimeout connecting to a receiver (default 5s)
 * @param attemptTimeout the whole of one attempt, from connecting to the last byte read; a receiver
 *     that has not answered by then is a {@code timeout} (default 15s)
 * @param perEndpointConcurrency attempts in flight to one endpoint at a time on one instance: a
 *     slow endpoint holds at most this many (default 4)
 * @param maxInFlight attempts in flight on one instance over all endpoints (default 512)
 * @param batchSize the most deliveries claimed in one query (default 200)
 * @param pollInterval how often due deliveries are looked for when nothing wakes the worker: a new
 *     delivery wakes it at once on this instance (default 250ms)
 * @param lease how long a claimed delivery is this instance's; after it (a crash mid-attempt) it is
 *     due again and retried under the same webhook-id. Longer than the attempt timeout (default 2m)
 * @param disableAfter an endpoint whose attempts have all failed for this long is disabled and its
 *     team told (default 5d)
 * @param responseExcerpt the most characters of a receiver's answer kept in the attempt log
 *     (default 1024)
 */
@ConfigurationProperties("paybridge.notification.delivery")
public record DeliveryProperties(
    @DefaultValue("true") boolean workerEnabled,
    @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
    @DefaultValue("0.2") double jitter,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("15s") Duration attemptTimeout,
    @DefaultValue("4") int perEndpointConcurrency,
    @DefaultValue("512") int maxInFlight,
    @DefaultValue("200") int batchSize,
    @DefaultValue("250ms") Duration pollInterval,
    @DefaultValue("2m") Duration lease,
    @DefaultValue("5d") Duration disableAfter,
    @DefaultValue("1024") int responseExcerpt) {

  public DeliveryProperties {
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException(
          "paybridge.notification.delivery.jitter must be in [0, 1)");
    }
    if (lease.compareTo(attemptTimeout) <= 0) {
      throw new IllegalArgumentException(
          "paybridge.notification.delivery.lease must be longer than attempt-timeout");
    }
    if (perEndpointConcurrency < 1 || maxInFlight < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "paybridge.notification.delivery concurrency and batch sizes must be ≥ 1");
    }
    retrySchedule = List.copyOf(retrySchedule);
  }
}
