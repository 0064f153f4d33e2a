package io.paybridge.platform.web;

import java.util.UUID;
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
    return given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
  }
}
