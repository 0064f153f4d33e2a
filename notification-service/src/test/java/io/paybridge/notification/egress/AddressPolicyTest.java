package io.paybridge.notification.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a webhook may reach (IANA special-purpose address registries). */
class AddressPolicyTest {

  private final AddressPolicy policy = new AddressPolicy(new EgressProperties(List.of()));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.1.2.3",
        "0.0.0.0",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "192.0.0.8",
        "198.18.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2002:a00:1::",
        "fec0::1"
      })
  void refusesEveryNonPublicAddress(String address) {
    assertThat(policy.permitted(InetAddress.ofLiteral(address))).as(address).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.215.14",
        "8.8.8.8",
        "1.1.1.1",
        "172.32.0.1",
        "100.128.0.1",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::"
      })
  void acceptsPublicAddresses(String address) {
    assertThat(policy.permitted(InetAddress.ofLiteral(address))).as(address).isTrue();
  }

  @Test
  void refusesANameThatResolvesToLoopbackUnlessAllowListed() throws Exception {
    assertThatThrownBy(() -> policy.resolve("localhost"))
        .isInstanceOf(RefusedAddressException.class);
    assertThatThrownBy(() -> policy.resolve("[::1]")).isInstanceOf(RefusedAddressException.class);
    var local = new AddressPolicy(new EgressProperties(List.of("127.0.0.0/8", "::1/128")));
    assertThat(local.resolve("127.0.0.1").isLoopbackAddress()).isTrue();
    assertThat(local.permitted(InetAddress.ofLiteral("10.0.0.1"))).isFalse();
  }

  @Test
  void aNameThatDoesNotResolveIsRefused() {
    assertThatThrownBy(() -> policy.resolve("no-such-host.invalid"))
        .isInstanceOf(RefusedAddressException.class);
  }
}
