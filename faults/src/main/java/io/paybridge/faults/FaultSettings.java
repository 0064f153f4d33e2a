package io.paybridge.faults;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the harness runs, from {@code key=value} arguments and the flag {@code quick}. Defaults are
 * the figures (10 kills, Kafka away 60 s, PostgreSQL stopped 30 s and hung 20 s); {@code
 * quick} shortens every fault and load window for a check of the harness itself (its verdicts are
 * not the issue's). Any setting can be overridden, e.g. {@code scenarios=1,2 rate=150 kills=5}.
 */
record FaultSettings(
    boolean quick,
    Set<Integer> scenarios,
    double rate,
    int kills,
    int stops,
    double stopRate,
    int stopAdmission,
    Duration brokerOutage,
    Duration databaseStop,
    Duration databaseHang,
    Duration loadBefore,
    Duration loadAfter,
    Duration retryDelay,
    int senderConnections,
    boolean aotCache,
    Duration markerTimeout,
    int merchantCases) {

  /** Every scenario (docs/reliability.md). */
  static final List<Integer> ALL = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

  private static final Set<String> KNOWN =
      Set.of(
          "scenarios",
          "rate",
          "kills",
          "stops",
          "stopRate",
          "stopAdmission",
          "brokerOutage",
          "databaseStop",
          "databaseHang",
          "loadBefore",
          "loadAfter",
          "retryDelay",
          "senderConnections",
          "aotCache",
          "markerTimeout",
          "merchantCases");

  static FaultSettings parse(String... args) {
    var values = new LinkedHashMap<String, String>();
    boolean quick = false;
    for (String arg : args) {
      for (String token : arg.trim().split("\\s+")) {
        if (token.isBlank()) {
          continue;
        }
        if (token.equals("quick")) {
          quick = true;
          continue;
        }
        int equals = token.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("Expected key=value or quick, got: " + token);
        }
        values.put(token.substring(0, equals), token.substring(equals + 1));
      }
    }
    var unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Unknown settings " + unknown + "; known: " + KNOWN);
    }
    String scenarioList = values.getOrDefault("scenarios", "all");
    Set<Integer> scenarios = new TreeSet<>();
    if (scenarioList.equals("all")) {
      scenarios.addAll(ALL);
    } else {
      for (String s : scenarioList.split(",")) {
        int n = Integer.parseInt(s.trim());
        if (!ALL.contains(n)) {
          throw new IllegalArgumentException("Scenarios are " + ALL + ", got " + n);
        }
        scenarios.add(n);
      }
    }
    return new FaultSettings(
        quick,
        scenarios,
        Double.parseDouble(values.getOrDefault("rate", "100")),
        Integer.parseInt(values.getOrDefault("kills", quick ? "3" : "10")),
        Integer.parseInt(values.getOrDefault("stops", quick ? "2" : "5")),
        Double.parseDouble(values.getOrDefault("stopRate", "150")),
        // Scenario 10's admission limit; 0 keeps the service's own (128), which the burst of
        // retries after each restart goes past. 1 refuses at any rate, but drains a retrying
        // backlog one delivery per transaction (docs/reliability.md, 2026-12-01 11:29).
        Integer.parseInt(values.getOrDefault("stopAdmission", "0")),
        // Longer than the relay's send-timeout (30 s) even when quick: scenario 2 expects the relay
        // DOWN during the outage, which it reports only once a batch has timed out.
        duration(values, "brokerOutage", quick ? "40s" : "60s"),
        duration(values, "databaseStop", quick ? "15s" : "30s"),
        duration(values, "databaseHang", quick ? "12s" : "20s"),
        duration(values, "loadBefore", quick ? "5s" : "10s"),
        duration(values, "loadAfter", quick ? "5s" : "10s"),
        duration(values, "retryDelay", "1s"),
        // Attempts in flight at once, as a sender's connection pool bounds them (WebhookLoad); 0:
        // no bound, each on a connection of its own. Above the service's admission limit (128),
        // so that a backlog of retries still meets refusals.
        Integer.parseInt(values.getOrDefault("senderConnections", "256")),
        // The services start from JDK 25's AOT cache, as local-stack starts them (Stack).
        !values.getOrDefault("aotCache", "on").equalsIgnoreCase("off"),
        duration(values, "markerTimeout", "120s"),
        Integer.parseInt(values.getOrDefault("merchantCases", quick ? "1" : "2")));
  }

  String describe() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("scenarios", scenarios.toString());
    shown.put("rate", rate + " webhooks/s");
    shown.put("kills", String.valueOf(kills));
    shown.put(
        "stops",
        stops
            + " at "
            + stopRate
            + " webhooks/s, admission limit "
            + (stopAdmission > 0 ? String.valueOf(stopAdmission) : "the service's own"));
    shown.put("brokerOutage", brokerOutage.toSeconds() + "s");
    shown.put("databaseStop", databaseStop.toSeconds() + "s");
    shown.put("databaseHang", databaseHang.toSeconds() + "s");
    shown.put("loadBefore/After", loadBefore.toSeconds() + "s/" + loadAfter.toSeconds() + "s");
    shown.put("retryDelay", retryDelay.toMillis() + "ms");
    shown.put(
        "senderConnections",
        senderConnections > 0 ? String.valueOf(senderConnections) : "unbounded");
    shown.put("aotCache", aotCache ? "on" : "off");
    shown.put("merchantCases", String.valueOf(merchantCases));
    return (quick ? "quick: " : "") + shown;
  }

  private static Duration duration(Map<String, String> values, String key, String fallback) {
    String value = values.getOrDefault(key, fallback).trim().toLowerCase();
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    if (value.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(value));
  }
}
