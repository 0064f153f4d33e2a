package io.paybridge.platform.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The rule for request ids, shared by the servlet filter ({@link RequestIds}) and the WebFlux
 * filter ({@code reactive.ReactiveRequestIds}): the caller's {@code X-Request-Id} when it is a
 * plain token, else a new UUID. Free of servlet and WebFlux types so that either stack can load it.
 */
public final class RequestId {

  public static final String HEADER = "X-Request-Id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private RequestId() {}

  /** {@code given} if it is a plain token; otherwise (absent, or able to forge log lines) new. */
  public static String acceptOrNew(String given) {
    return given != null && SAFE.matcher(given).matches() ? given : newId();
  }

  /**
   * A new random (version 4) UUID. A request id has to be unique, not unguessable, so it is drawn
   * from the thread's own generator: {@code UUID.randomUUID()} draws from {@code SecureRandom},
   * whose default source serialises every caller on one lock, and was about 2 % of webhook-ingest's
   * CPU while it refused thousands of deliveries a second (docs/benchmarks.md, 2026-12-01).
   */
  public static String newId() {
    var random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62); // the IETF variant, 10
    return new UUID(high, low).toString();
  }
}
