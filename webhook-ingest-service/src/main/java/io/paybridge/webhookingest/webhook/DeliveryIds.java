package io.paybridge.webhookingest.webhook;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivery ids ({@code webhook_delivery.id}, and every inbox row's {@code delivery_id}): UUID
 * version 7 (RFC 9562 §5.7), whose first 48 bits are the Unix time in milliseconds. New ids sort
 * after older ones, so that the two indexes written with them take each new key at their right edge
 * instead of at a random leaf of a tree as large as 30 days of deliveries (and 90 of events); 74
 * random bits keep ids made in the same millisecond apart. Not a secret: nothing is authorised by
 * knowing a delivery id.
 */
final class DeliveryIds {

  private DeliveryIds() {}

  /** A new id for a delivery stored at {@code now}. */
  static UUID next(Instant now) {
    var random = ThreadLocalRandom.current();
    long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long mostSignificant = millis << 16 | 0x7000L | random.nextInt(1 << 12);
    long leastSignificant = 0x8000_0000_0000_0000L | random.nextLong() >>> 2;
    return new UUID(mostSignificant, leastSignificant);
  }
}
