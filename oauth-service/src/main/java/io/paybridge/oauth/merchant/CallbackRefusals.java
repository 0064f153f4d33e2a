package io.paybridge.oauth.merchant;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.merchant.ConnectionState.Refusal;
import io.paybridge.oauth.merchant.ConnectionState.Refused;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refused callbacks: recorded as evidence, limited per remote address (the callback is public, so
 * anyone can send states), and pruned so that the evidence table stays bounded.
 */
@Component
class CallbackRefusals {

  private static final Logger log = LoggerFactory.getLogger(CallbackRefusals.class);

  private final CallbackRejectionRepository rejections;
  private final ConnectProperties.RefusedCallbacks limits;
  private final MeterRegistry meters;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  CallbackRefusals(
      CallbackRejectionRepository rejections,
      ConnectProperties properties,
      MeterRegistry meters,
      Clock clock) {
    this.rejections = rejections;
    this.limits = properties.refusedCallbacks();
    this.meters = meters;
    this.clock = clock;
  }

  /**
   * Refuses at once, before anything is read or written, a callback from an address that has used
   * up its refused callbacks.
   *
   * @throws CallbackRateLimitedException with the time until the address may try again
   */
  void checkAllowed(String remoteAddress) {
    Bucket bucket = buckets.get(key(remoteAddress));
    if (bucket == null) {
      return;
    }
    Duration wait = bucket.waitFor(clock.instant());
    if (!wait.isZero()) {
      meters.counter("paybridge.oauth.callback.refused", "reason", "rate_limited").increment();
      throw new CallbackRateLimitedException(wait);
    }
  }

  /** Records a refused callback and counts it against its address; returns what to throw. */
  Refused refuse(Refusal refusal, String merchantId, String team, String remoteAddress, String id) {
    take(key(remoteAddress));
    rejections.insert(refusal.wire(), merchantId, team, remoteAddress, id);
    meters.counter("paybridge.oauth.callback.refused", "reason", refusal.wire()).increment();
    log.warn(
        "Refused an OAuth callback ({}) for merchant {} from {}",
        refusal.wire(),
        merchantId,
        remoteAddress);
    return new Refused(refusal);
  }

  /** Cuts the evidence to its retention period and its cap; returns how many rows went. */
  int prune() {
    int deleted =
        rejections.deleteReceivedBefore(clock.instant().minus(limits.retention()))
            + rejections.deleteAllButNewest(limits.maxRecorded());
    if (deleted > 0) {
      log.info("Pruned {} refused OAuth callbacks", deleted);
    }
    return deleted;
  }

  private void take(String key) {
    Instant now = clock.instant();
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= limits.maxTrackedAddresses()) {
        // A full bucket limits nothing: forgetting it loses nothing.
        buckets.values().removeIf(b -> b.isFull(now));
      }
      if (buckets.size() >= limits.maxTrackedAddresses()) {
        meters.counter("paybridge.oauth.callback.refusals.untracked").increment();
        return;
      }
      bucket = buckets.computeIfAbsent(key, k -> new Bucket(limits.limit(), now));
    }
    bucket.take(now);
  }

  /** The address a limit applies to: an IPv6 client can use a whole /64, so it counts as one. */
  private static String key(String remoteAddress) {
    if (remoteAddress == null) {
      return "";
    }
    if (remoteAddress.indexOf(':') >= 0) {
      try {
        // A literal: parsed without a DNS lookup.
        InetAddress address = InetAddress.ofLiteral(remoteAddress);
        if (address instanceof Inet6Address) {
          return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
        }
      } catch (IllegalArgumentException e) {
        return remoteAddress;
      }
    }
    return remoteAddress;
  }

  /** A token bucket: {@code limit} refusals, refilled at {@code limit} per window. */
  private final class Bucket {
    private double tokens;
    private Instant updated;

    Bucket(double tokens, Instant now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized void take(Instant now) {
      refill(now);
      tokens = Math.max(0, tokens - 1);
    }

    synchronized Duration waitFor(Instant now) {
      refill(now);
      if (tokens >= 1) {
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) * nanosPerToken()));
    }

    synchronized boolean isFull(Instant now) {
      refill(now);
      return tokens >= limits.limit();
    }

    private void refill(Instant now) {
      if (now.isAfter(updated)) {
        double nanos = Duration.between(updated, now).toNanos();
        tokens = Math.min(limits.limit(), tokens + nanos / nanosPerToken());
        updated = now;
      }
    }

    private double nanosPerToken() {
      return (double) limits.window().toNanos() / limits.limit();
    }
  }
}
