package io.paybridge.platform.web.management;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may reach the management port ({@code paybridge.management.*}) besides the probes, and how
 * much of the machine it may take.
 *
 * <p>The management port (actuator, {@code management.server.port}) is not published outside the
 * cluster; this is the service's own check behind the network policy, so that a port exposed by
 * mistake still gives health details and metrics to no one outside the internal network.
 *
 * @param trustedNetworks the networks (CIDR, IPv4 or IPv6) whose clients may use every management
 *     endpoint, by the address the servlet container reports for the client (default: loopback and
 *     the private ranges {@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}, {@code
 *     fc00::/7}; narrow it to the cluster's pod network in production). Empty: loopback only
 * @param openPaths paths answered to anyone who reaches the port, compared exactly (default the
 *     Kubernetes probes {@code /actuator/health/liveness} and {@code /actuator/health/readiness},
 *     which show a status and no details)
 * @param threads the platform threads that serve the management port (default 2), apart from the
 *     service's own request threads. With virtual threads on, the management server would otherwise
 *     share the service's carrier threads, so a burst of health requests would queue ahead of the
 *     service's requests; with a few threads of its own, a burst queues on the management port and
 *     takes at most this many cores
 */
@ConfigurationProperties("paybridge.management")
public record ManagementPortProperties(
    @DefaultValue({
          "127.0.0.0/8",
          "::1/128",
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "fc00::/7"
        })
        List<String> trustedNetworks,
    @DefaultValue({"/actuator/health/liveness", "/actuator/health/readiness"})
        List<String> openPaths,
    @DefaultValue("2") int threads) {

  /** The default of {@code trusted-networks}: loopback and the private address ranges. */
  public static final List<String> PRIVATE_NETWORKS =
      List.of(
          "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");

  /** The default of {@code open-paths}: the Kubernetes probes. */
  public static final List<String> PROBES =
      List.of("/actuator/health/liveness", "/actuator/health/readiness");

  public ManagementPortProperties {
    if (trustedNetworks == null) {
      trustedNetworks = PRIVATE_NETWORKS;
    } else if (trustedNetworks.stream().allMatch(n -> n == null || n.isBlank())) {
      trustedNetworks = List.of("127.0.0.0/8", "::1/128");
    } else {
      trustedNetworks = trustedNetworks.stream().filter(n -> n != null && !n.isBlank()).toList();
    }
    openPaths = openPaths == null ? PROBES : List.copyOf(openPaths);
    if (threads < 1) {
      throw new IllegalArgumentException("paybridge.management.threads must be ≥ 1");
    }
  }
}
