package io.paybridge.platform.web.management;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}). */
record IpNetwork(byte[] address, int prefixLength) {

  static IpNetwork parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) {
      // InetAddress would resolve a host name: only literal addresses are accepted.
      throw new IllegalArgumentException("Not an IP network: '" + cidr + "'");
    }
    byte[] address;
    try {
      address = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Not an IP network: '" + cidr + "'", e);
    }
    int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("Prefix length out of range in '" + cidr + "'");
    }
    return new IpNetwork(address, prefix);
  }

  /** Whether {@code literal}, an IP address as the servlet container reports it, is inside. */
  boolean contains(String literal) {
    if (literal == null || !literal.matches("[0-9a-fA-F:.%\\[\\]a-zA-Z]+")) {
      return false;
    }
    byte[] candidate;
    try {
      candidate = InetAddress.ofLiteral(literal.replace("[", "").replace("]", "")).getAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (candidate.length != address.length) {
      return false; // an IPv4-mapped IPv6 address is reported as IPv4 by the JDK already
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != address[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (address[full] & mask);
  }
}
