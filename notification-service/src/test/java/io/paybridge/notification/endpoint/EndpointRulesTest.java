package io.paybridge.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event-type filters and the HTTPS rule outside the local allowance. */
class EndpointRulesTest {

  @Test
  void filtersMatchTopicsWildcardsAndTypes() {
    var filter = new EventTypeFilter(List.of("billing.*", "MerchantDisconnected"));
    assertThat(filter.matches("billing.payment", "PaymentFailed")).isTrue();
    assertThat(filter.matches("billing.instalment-schedule", "InstalmentScheduleCreated")).isTrue();
    assertThat(filter.matches("merchants.connection", "MerchantDisconnected")).isTrue();
    assertThat(filter.matches("merchants.connection", "MerchantConnected")).isFalse();
    assertThat(filter.matches("billingx.payment", "PaymentFailed")).isFalse();
    assertThat(
            new EventTypeFilter(List.of("merchants.connection"))
                .matches("merchants.connection", "MerchantConnected"))
        .isTrue();
    assertThat(new EventTypeFilter(List.of("*")).matches("billing.refund", "RefundPaid")).isTrue();
    for (String bad :
        new String[] {"billing.**", "Billing.payment", "*.payment", "payment", "billing.", ""}) {
      assertThatThrownBy(() -> new EventTypeFilter(List.of(bad)))
          .as(bad)
          .isInstanceOf(InvalidEventTypeFilterException.class);
    }
  }

  @Test
  void httpsIsRequiredUnlessHttpIsAllowed() {
    var strict = service(false);
    assertThat(strict.checkedUrl("https://hooks.example.test/x"))
        .isEqualTo("https://hooks.example.test/x");
    assertThatThrownBy(() -> strict.checkedUrl("http://hooks.example.test/x"))
        .isInstanceOf(InvalidEndpointException.class)
        .hasMessage("url must be https");
    assertThat(service(true).checkedUrl("http://127.0.0.1:9000/x"))
        .isEqualTo("http://127.0.0.1:9000/x");
  }

  private static EndpointService service(boolean allowHttp) {
    return new EndpointService(
        null,
        null,
        new EndpointProperties(allowHttp, Duration.ofHours(24), Duration.ofDays(7)),
        Clock.systemUTC(),
        null);
  }
}
