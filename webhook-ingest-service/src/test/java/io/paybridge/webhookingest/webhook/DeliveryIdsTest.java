package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class DeliveryIdsTest {

  /**
   * RFC 9562, Appendix A.6: the UUIDv7 example for 2022-02-22 14:22:22 -05:00 (Unix time
   * 0x017F22E279B0 ms) is 017F22E2-79B0-7CC3-98C4-DC0C0C07398F; its random bits are the example's.
   */
  @Test
  void anIdIsAVersion7UuidWithItsTimeInItsFirst48Bits() {
    var id = DeliveryIds.next(Instant.ofEpochMilli(0x017F22E279B0L));

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.toString()).startsWith("017f22e2-79b0-7");
    assertThat(id.toString().charAt(19)).isIn('8', '9', 'a', 'b');
  }

  @Test
  void laterIdsSortAfterEarlierOnesAsPostgresqlSortsUuidsAndIdsOfOneMillisecondDiffer() {
    var seen = new HashSet<String>();
    String previous = "";
    for (long millis = 1_764_500_000_000L; millis < 1_764_500_000_000L + 2_000; millis++) {
      for (int i = 0; i < 50; i++) {
        String id = DeliveryIds.next(Instant.ofEpochMilli(millis)).toString();
        assertThat(seen.add(id)).isTrue();
        if (i == 0) {
          // PostgreSQL orders uuids byte by byte, as their lowercase hex text sorts
          assertThat(id).isGreaterThan(previous);
          previous = id;
        }
      }
    }
  }
}
