package io.paybridge.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdTest {

  @Test
  void newIdsAreRandomUuidsOfRfc9562VersionFourAndDistinct() {
    var seen = new HashSet<String>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestId.newId();
      var uuid = UUID.fromString(id);
      // RFC 9562 §5.4: version 4, variant 10 (java.util.UUID reports that variant as 2).
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void aPlainCallerIdIsKeptAndOneThatCouldForgeLogLinesIsReplaced() {
    assertThat(RequestId.acceptOrNew("req-42.a:b")).isEqualTo("req-42.a:b");
    assertThat(RequestId.acceptOrNew("x\nforged")).isNotEqualTo("x\nforged").hasSize(36);
    assertThat(RequestId.acceptOrNew(null)).hasSize(36);
  }
}
