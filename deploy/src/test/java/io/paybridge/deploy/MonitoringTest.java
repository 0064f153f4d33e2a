package io.paybridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules and Grafana dashboards: every expression parsed by Prometheus's PromQL grammar
 * (not promtool: the rules are not evaluated against series), and every PayBridge metric they name
 * must be one the code registers (Micrometer names in src/main, Prometheus naming).
 */
class MonitoringTest {

  private static final Pattern METRIC = Pattern.compile("\\b(paybridge_[a-z0-9_]+)");

  /**
   * Metrics of services whose module is not in this build yet, as their branches register them:
   * accepted only while that module is absent.
   */
  private static final Map<String, String> EXPECTED_FROM =
      Map.of("paybridge.notification.endpoints.disabled", "notification-service");

  private static final Set<String> REGISTERED = registeredMeterNames();

  private final JsonNode rules =
      Repository.yaml("deploy/monitoring/prometheus/rules/paybridge-alerts.yml");

  @Test
  void theRulesCoverWhatGoingLiveNeeds() {
    var names = new HashSet<String>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asString())));
    assertThat(names)
        .contains(
            "OutboxRelayNotStreaming",
            "OutboxRelayNoLeader",
            "OutboxRelayBehind",
            "OutboxWalRetained",
            "DeadLettersGrowing",
            "WebhookEventsQuarantined",
            "WebhookSignatureRejections",
            "ConsumerLagHigh",
            "ConsumerStuck",
            "CircuitBreakerOpen",
            "GoCardlessRateLimitNearExhaustion",
            "TokenEndpointRefusals",
            "NotificationEndpointsDisabled");
  }

  @Test
  void everyRuleIsWellFormedWithARunbookSectionThatExists() {
    Set<String> anchors = runbookAnchors();
    var seen = new HashSet<String>();
    for (JsonNode group : rules.path("groups")) {
      assertThat(group.path("name").asString()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asString();
        assertThat(alert).matches("[A-Z][A-Za-z0-9]+");
        assertThat(seen.add(alert)).as("unique " + alert).isTrue();
        assertThat(rule.path("for").asString()).as(alert).matches("[0-9]+[smh]");
        assertThat(rule.path("labels").path("severity").asString())
            .as(alert)
            .isIn("critical", "warning", "info");
        assertThat(rule.path("annotations").path("summary").asString()).as(alert).isNotBlank();
        String runbook = rule.path("annotations").path("runbook_url").asString();
        assertThat(runbook).as(alert).startsWith("docs/runbook.md#");
        assertThat(anchors)
            .as(alert + " runbook")
            .contains(runbook.substring(runbook.indexOf('#') + 1));
        checkExpression(alert, rule.path("expr").asString());
      }
    }
  }

  @Test
  void everyExpressionParsesAsPromQL() throws IOException {
    var expressions = new ArrayList<List<String>>();
    rules
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r ->
                            expressions.add(
                                List.of(r.path("alert").asString(), r.path("expr").asString()))));
    var json = JsonMapper.builder().build();
    for (Path file : Repository.files("deploy/monitoring/grafana/dashboards", ".json").toList()) {
      json.readTree(Files.readString(file))
          .path("panels")
          .forEach(
              panel ->
                  panel
                      .path("targets")
                      .forEach(
                          t ->
                              expressions.add(
                                  List.of(
                                      file.getFileName() + " " + panel.path("title").asString(),
                                      t.path("expr").asString()))));
    }
    assertThat(expressions).hasSizeGreaterThan(30);
    assertThat(NodeChecks.problems(List.of(), expressions)).isEmpty();
    // The parser is a judge: a broken expression is reported.
    assertThat(
            NodeChecks.problems(
                List.of(), List.of(List.of("broken", "sum by (service (rate(x[5m]))"))))
        .hasSize(1);
  }

  @Test
  void theMetricCheckCanFail() {
    var problems = new ArrayList<String>();
    try {
      checkExpression("probe", "max(paybridge_outbox_relay_leadr) < 1");
    } catch (AssertionError e) {
      problems.add(e.getMessage());
    }
    try {
      checkExpression("probe", "sum(rate(paybridge_outbox_relayed_total[5m])");
    } catch (AssertionError e) {
      problems.add(e.getMessage());
    }
    assertThat(problems).hasSize(2);
  }

  @Test
  void dashboardsAreProvisionedJsonWithQueriesOnRealMetrics() throws IOException {
    var json = JsonMapper.builder().build();
    var uids = new HashSet<String>();
    var files = Repository.files("deploy/monitoring/grafana/dashboards", ".json").toList();
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .contains(
            "platform-overview.json",
            "webhook-ingest.json",
            "relay-and-kafka.json",
            "gateway-service.json",
            "oauth-service.json",
            "billing-service.json",
            "notification-service.json");
    for (Path file : files) {
      JsonNode dashboard = json.readTree(Files.readString(file));
      assertThat(uids.add(dashboard.path("uid").asString())).as("unique uid " + file).isTrue();
      assertThat(dashboard.path("panels").size()).as(file.toString()).isPositive();
      for (JsonNode panel : dashboard.path("panels")) {
        assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("prometheus");
        for (JsonNode target : panel.path("targets")) {
          checkExpression(
              file.getFileName() + " " + panel.path("title").asString(),
              target.path("expr").asString());
        }
      }
    }
    JsonNode datasources =
        Repository.yaml("deploy/monitoring/grafana/provisioning/datasources/prometheus.yml");
    assertThat(datasources.path("datasources").get(0).path("uid").asString())
        .isEqualTo("prometheus");
  }

  private static void checkExpression(String where, String expr) {
    assertThat(expr).as(where).isNotBlank();
    String unquoted = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    assertThat(unquoted).as(where + ": unbalanced quote").doesNotContain("\"\"\"");
    assertThat(balanced(unquoted)).as(where + ": unbalanced brackets in " + expr).isTrue();
    var matcher = METRIC.matcher(unquoted);
    while (matcher.find()) {
      String metric = matcher.group(1);
      assertThat(meterFor(metric))
          .as(where + ": " + metric + " is registered by no code")
          .isNotNull();
    }
  }

  /** The Micrometer meter a Prometheus series name comes from, or null. */
  static String meterFor(String metric) {
    String base = metric.replaceAll("_(bucket|count|sum|max|total)$", "");
    for (String candidate : List.of(base, base.replaceAll("_(seconds|bytes)$", ""))) {
      String meter = candidate.replace('_', '.');
      if (REGISTERED.contains(meter)) {
        return meter;
      }
      String module = EXPECTED_FROM.get(meter);
      if (module != null && !Repository.modules().contains(module)) {
        return meter;
      }
    }
    return null;
  }

  private static boolean balanced(String s) {
    var stack = new ArrayList<Character>();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '(', '[', '{' -> stack.add(c);
        case ')', ']', '}' -> {
          if (stack.isEmpty()) {
            return false;
          }
          char open = stack.removeLast();
          if ("([{".indexOf(open) != ")]}".indexOf(c)) {
            return false;
          }
        }
        default -> {}
      }
    }
    return stack.isEmpty();
  }

  /** GitHub's heading anchors of docs/runbook.md. */
  static Set<String> runbookAnchors() {
    return Repository.read("docs/runbook.md")
        .lines()
        .filter(line -> line.matches("#{1,6} .*"))
        .map(line -> line.replaceFirst("#{1,6} ", "").trim().toLowerCase(Locale.ROOT))
        .map(h -> h.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
        .collect(Collectors.toSet());
  }

  private static Set<String> registeredMeterNames() {
    var names = new HashSet<String>();
    var literal = Pattern.compile("\"(paybridge\\.[a-z0-9.]+)\"");
    for (String module : Repository.modules()) {
      Path main = Repository.ROOT.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(main)) {
        continue;
      }
      try (var files = Files.walk(main)) {
        files
            .filter(p -> p.toString().endsWith(".java"))
            .forEach(
                p -> {
                  try {
                    literal
                        .matcher(Files.readString(p))
                        .results()
                        .forEach(m -> names.add(m.group(1)));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }
}
