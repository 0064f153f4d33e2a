package io.paybridge.platform.web.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ManagementNetworkFilterTest {

  private final ManagementNetworkFilter defaults =
      new ManagementNetworkFilter(new ManagementPortProperties(null, null, 2));

  @Test
  void trustsLoopbackAndPrivateNetworksByDefault() {
    assertThat(defaults.isTrusted("127.0.0.1")).isTrue();
    assertThat(defaults.isTrusted("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(defaults.isTrusted("10.244.3.17")).isTrue();
    assertThat(defaults.isTrusted("172.31.255.255")).isTrue();
    assertThat(defaults.isTrusted("192.168.0.9")).isTrue();
    assertThat(defaults.isTrusted("fd12:3456::1")).isTrue();

    assertThat(defaults.isTrusted("172.32.0.1")).isFalse();
    assertThat(defaults.isTrusted("8.8.8.8")).isFalse();
    assertThat(defaults.isTrusted("2001:db8::1")).isFalse();
    assertThat(defaults.isTrusted("localhost")).isFalse();
    assertThat(defaults.isTrusted(null)).isFalse();
  }

  @Test
  void narrowedToOneNetwork() {
    var filter =
        new ManagementNetworkFilter(
            new ManagementPortProperties(List.of("10.1.0.0/16"), List.of(), 2));
    assertThat(filter.isTrusted("10.1.200.3")).isTrue();
    assertThat(filter.isTrusted("10.2.0.1")).isFalse();
    assertThat(filter.isTrusted("127.0.0.1")).isFalse();
  }

  @Test
  void refusesNetworksThatAreNotLiteralAddresses() {
    assertThatThrownBy(() -> IpNetwork.parse("internal.example.com/8"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpNetwork.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void probesOpenToAnyoneEverythingElseOnlyToTrustedNetworks() throws Exception {
    assertThat(status("/actuator/health/readiness", "203.0.113.7")).isEqualTo(200);
    assertThat(status("/actuator/health/liveness", "203.0.113.7")).isEqualTo(200);
    assertThat(status("/actuator/health", "203.0.113.7")).isEqualTo(403);
    assertThat(status("/actuator/health/readiness/db", "203.0.113.7")).isEqualTo(403);
    assertThat(status("/actuator/health/readiness;x=1", "203.0.113.7")).isEqualTo(403);
    assertThat(status("/actuator/prometheus", "203.0.113.7")).isEqualTo(403);
    assertThat(status("/actuator/prometheus", "10.0.0.12")).isEqualTo(200);
  }

  private int status(String path, String remoteAddress) throws Exception {
    var request = new MockHttpServletRequest("GET", path);
    request.setRemoteAddr(remoteAddress);
    var response = new MockHttpServletResponse();
    var chain = new MockFilterChain();
    defaults.doFilter(request, response, chain);
    if (response.getStatus() == 403) {
      assertThat(response.getContentType()).isEqualTo("application/problem+json");
      assertThat(chain.getRequest()).isNull();
    } else {
      assertThat(chain.getRequest()).isNotNull();
    }
    return response.getStatus();
  }
}
