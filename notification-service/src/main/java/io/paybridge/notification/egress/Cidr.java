package io.paybridge.notification.egress;

import java.net.InetAddress;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}). */
record Cidr(byte[] network, int prefixLength) {

  static Cidr parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] address;
    try {
      // ofLiteral never resolves a name.
      address = InetAddress.ofLiteral(host).getAddress();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not an IP network: '" + cidr + "'", e);
    }
    int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
    if (prefix < 0 || prefix > address.length * 8) {
      throw new IllegalArgumentException("Prefix length out of range in '" + cidr + "'");
    }
    return new Cidr(address, prefix);
  }

  boolean contains(byte[] candidate) {
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (java.net.UnknownHostException e) {
      return "?/" + prefixLength;
    }
  }
}
