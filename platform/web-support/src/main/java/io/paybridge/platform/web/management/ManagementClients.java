package io.paybridge.platform.web.management;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Who may use the management port ({@link ManagementPortProperties}): the open paths (the probes,
 * compared exactly) for anyone, everything else for clients of the trusted networks. Shared by the
 * servlet filter and the WebFlux one, so both stacks decide alike.
 */
final class ManagementClients {

  /** The body of a refusal (403 problem+json). */
  static final byte[] REFUSED =
      ("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
              + "\"detail\":\"The management endpoints answer the internal network only\"}")
          .getBytes(StandardCharsets.UTF_8);

  private final List<IpNetwork> trusted;
  private final Set<String> openPaths;

  ManagementClients(ManagementPortProperties properties) {
    this.trusted = properties.trustedNetworks().stream().map(IpNetwork::parse).toList();
    this.openPaths = Set.copyOf(properties.openPaths());
  }

  /**
   * Whether {@code path} (raw, without context path) may be served to the client at {@code
   * address}. Any other spelling of a probe's path (a trailing segment, a parameter, an encoding)
   * is treated as a protected path, never the other way round.
   */
  boolean allowed(String path, String address) {
    return openPaths.contains(path) || isTrusted(address);
  }

  boolean isTrusted(String address) {
    for (IpNetwork network : trusted) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
