package io.paybridge.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IsoInstants} reads any text as the JDK's {@link Instant#parse} reads it: the direct
 * reading of the usual UTC form must never give another instant, nor refuse one.
 */
class IsoInstantsTest {

  @Test
  void theUsualUtcFormsReadAsInstantParseReadsThem() {
    var random = new Random(20261130);
    var texts = new ArrayList<String>();
    for (int i = 0; i < 20_000; i++) {
      // 1900-01-01 .. 2100-12-31, any nanosecond
      long second = -2_208_988_800L + (long) (random.nextDouble() * 6_377_212_800L);
      String full = Instant.ofEpochSecond(second).toString(); // ISO_INSTANT: seconds always shown
      full = full.substring(0, full.length() - 1);
      String nanos = String.format("%09d", random.nextInt(1_000_000_000));
      texts.add(full + "Z");
      for (int digits = 1; digits <= 9; digits++) {
        texts.add(full + "." + nanos.substring(0, digits) + "Z");
      }
    }
    // The ends of months, leap days and the turn of a year.
    texts.addAll(
        List.of(
            "2024-02-29T23:59:59.999999Z",
            "2000-02-29T00:00:00Z",
            "2026-12-31T23:59:59.999999999Z",
            "2027-01-01T00:00:00.000000Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.5Z"));
    for (String text : texts) {
      assertThat(IsoInstants.parseOrNull(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void anyOtherTextReadsAsInstantParseReadsItOrAsNoInstant() {
    for (String text :
        List.of(
            "2026-11-30T13:45:41+01:00", // an offset
            "2026-11-30T13:45:41.123456+00:00",
            "+12026-11-30T13:45:41Z", // a year of five digits
            "2016-12-31T23:59:60Z", // a leap second
            "2026-11-30T24:00:00Z", // the end of the day
            "2026-11-30T13:45:41.Z", // a point without digits
            "2026-02-29T00:00:00Z", // not a leap year
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-30T13:60:00Z",
            "2026-11-30T13:45:41.1234567890Z", // ten fraction digits
            "2026-11-30T13:45:4aZ",
            "2026-11-30 13:45:41Z",
            "2026-11-30T13:45:41",
            "not a time",
            "")) {
      assertThat(IsoInstants.parseOrNull(text)).as(text).isEqualTo(instantParse(text));
    }
    assertThat(IsoInstants.parseOrNull(null)).isNull();
  }

  /** What the JDK reads, or null when it refuses the text. */
  private static Instant instantParse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
