package io.paybridge.webhookingest.webhook;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C trace context: the caller's {@code traceparent}, or a new trace when it sent none. */
final class Traceparent {

  private static final Pattern VALID = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private Traceparent() {}

  static String fromOrNew(String header) {
    if (header != null && VALID.matcher(header).matches()) {
      return header;
    }
    var random = ThreadLocalRandom.current();
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    random.nextBytes(traceId);
    random.nextBytes(spanId);
    return "00-"
        + HexFormat.of().formatHex(traceId)
        + "-"
        + HexFormat.of().formatHex(spanId)
        + "-01";
  }
}
