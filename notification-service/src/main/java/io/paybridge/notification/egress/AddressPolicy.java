package io.paybridge.notification.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The SSRF guard of outbound webhooks: resolves an endpoint's host and accepts it only when every
 * address it resolves to is public or allow-listed. The caller connects to the returned address
 * itself, never to a second lookup, so a name that answers a public address to the check and a
 * private one to the connection (DNS rebinding) gains nothing.
 *
 * <p>Refused (IANA special-purpose registries): IPv4 0/8, 10/8, 100.64/10 (CGNAT, also Alibaba's
 * metadata), 127/8, 169.254/16 (link-local, cloud metadata 169.254.169.254), 172.16/12, 192.0.0/24,
 * 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4 (multicast),
 * 240/4 and broadcast; IPv6 ::, ::1, 100::/64, 2001::/23 (Teredo, ORCHID, benchmarking, ...),
 * 2001:db8::/32, fc00::/7 (unique-local, AWS's metadata fd00:ec2::254), fe80::/10, fec0::/10,
 * ff00::/8, the deprecated IPv4-compatible ::/96; and the IPv4 inside IPv4-mapped (::ffff:0:0/96),
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16) addresses is judged as IPv4.
 */
@Component
public class AddressPolicy {

  private static final List<Cidr> NON_PUBLIC =
      List.of(
              "0.0.0.0/8",
              "10.0.0.0/8",
              "100.64.0.0/10",
              "127.0.0.0/8",
              "169.254.0.0/16",
              "172.16.0.0/12",
              "192.0.0.0/24",
              "192.0.2.0/24",
              "192.88.99.0/24",
              "192.168.0.0/16",
              "198.18.0.0/15",
              "198.51.100.0/24",
              "203.0.113.0/24",
              "224.0.0.0/4",
              "240.0.0.0/4",
              "::/128",
              "::1/128",
              "::/96",
              "100::/64",
              "2001::/23",
              "2001:db8::/32",
              "fc00::/7",
              "fe80::/10",
              "fec0::/10",
              "ff00::/8")
          .stream()
          .map(Cidr::parse)
          .toList();

  private final List<Cidr> allowed;

  AddressPolicy(EgressProperties properties) {
    this.allowed = properties.allowedNetworks().stream().map(Cidr::parse).toList();
  }

  /**
   * Resolves {@code host} (a name or an IP literal) now and returns the address to connect to.
   *
   * @throws RefusedAddressException when it does not resolve, or any address it resolves to is
   *     refused: a name that mixes a public and a private address is refused as a whole
   */
  public InetAddress resolve(String host) throws RefusedAddressException {
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(literal);
    } catch (UnknownHostException e) {
      throw new RefusedAddressException("'" + host + "' does not resolve");
    }
    for (InetAddress address : addresses) {
      if (!permitted(address)) {
        throw new RefusedAddressException(
            "'" + host + "' resolves to " + address.getHostAddress() + ", which is not public");
      }
    }
    return addresses[0];
  }

  /** Whether a connection to {@code address} is allowed: public, or inside an allowed network. */
  public boolean permitted(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Cidr network : allowed) {
      if (network.contains(bytes)) {
        return true;
      }
    }
    return isPublic(bytes);
  }

  static boolean isPublic(byte[] bytes) {
    byte[] embedded = embeddedIpv4(bytes);
    if (embedded != null) {
      return isPublic(embedded);
    }
    for (Cidr network : NON_PUBLIC) {
      if (network.contains(bytes)) {
        return false;
      }
    }
    return !(bytes.length == 4 && Arrays.equals(bytes, new byte[] {-1, -1, -1, -1}));
  }

  /** The IPv4 address carried inside an IPv6 transition address, or null. */
  private static byte[] embeddedIpv4(byte[] bytes) {
    if (bytes.length != 16) {
      return null;
    }
    // ::ffff:a.b.c.d (IPv4-mapped); the deprecated IPv4-compatible ::a.b.c.d is refused as ::/96.
    if (allZero(bytes, 0, 10) && bytes[10] == -1 && bytes[11] == -1) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    // 64:ff9b::/96 (NAT64 well-known prefix)
    if (bytes[0] == 0
        && bytes[1] == 0x64
        && bytes[2] == (byte) 0xff
        && bytes[3] == (byte) 0x9b
        && allZero(bytes, 4, 12)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    // 64:ff9b:1::/48 (local-use NAT64): the IPv4 is in the last 32 bits.
    if (bytes[0] == 0
        && bytes[1] == 0x64
        && bytes[2] == (byte) 0xff
        && bytes[3] == (byte) 0x9b
        && bytes[4] == 0
        && bytes[5] == 1) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    // 2002::/16 (6to4): the IPv4 follows the prefix.
    if (bytes[0] == 0x20 && bytes[1] == 0x02) {
      return Arrays.copyOfRange(bytes, 2, 6);
    }
    return null;
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
