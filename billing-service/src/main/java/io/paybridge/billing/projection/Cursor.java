package io.paybridge.billing.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** A list position: the creation time and id of the last item of a page, opaque to clients. */
public record Cursor(Instant createdAt, String id) {

  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException for a cursor this service did not give out
   */
  public static Cursor decode(String value) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Not a cursor of this list: " + value);
    }
  }
}
