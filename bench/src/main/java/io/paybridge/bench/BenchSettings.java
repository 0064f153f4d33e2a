package io.paybridge.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the benchmark runs, from {@code key=value} arguments. {@code profile=full} (the default) is
 * the run recorded in docs/benchmarks.md; {@code profile=smoke} is a one-to-two-minute check of the
 * harness; {@code profile=health} runs only the single-webhook fixed-rate phase, twice without and
 * twice with bursts of {@code healthConcurrency} concurrent health requests to the management port
 * (every {@code healthInterval}, to {@code healthPath}), and compares the webhooks' latency; {@code
 * profile=warmup} compares the service's start (time to ready, then {@code warmupRate} webhooks/s
 * for {@code warmupDuration} from the moment it is ready) from its executable jar, from the
 * extracted jar, and from the extracted jar with a Java 25 AOT cache made by a training run of
 * {@code trainingDuration} under load.
 *
 * <p>After the warm-up the full and health profiles keep sending {@code warmupRate} single
 * webhooks/s, ten seconds at a time, until the service's JIT compiled for less than {@code
 * settleJitCores} of a core in the last ten seconds, or for at most {@code settleMax} ({@code 0s}:
 * not at all): the judged phases measure the service once its compiler is done, which takes longer
 * on a slower machine than a fixed warm-up allows; the start itself is judged by the first warm-up
 * phase. Any setting can be overridden, e.g. {@code latencyDuration=30s singleConcurrency=16};
 * {@code serviceProperties} adds properties to the service's command line and {@code
 * serviceJvmOptions} options to its JVM (separated by semicolons, e.g. a flight recording) and
 * {@code postgresSettings} server settings of the benchmark's PostgreSQL ({@code name=value}, comma
 * separated, e.g. {@code shared_buffers=1GB}); the report names them.
 *
 * <p>{@code durability}: {@code production} (the default) turns the embedded server's {@code fsync}
 * back on and runs the service's and the baseline's databases with {@code synchronous_commit=on},
 * so that a commit, and so a 204, waits for the WAL to reach the disk, as it must in production;
 * {@code embedded} keeps the embedded server's test defaults ({@code fsync=off}, {@code
 * synchronous_commit=off}), under which nothing waits for the disk; {@code no-fsync}: commits wait
 * for their WAL to be written as with {@code production}, but {@code fsync=off}.
 */
record BenchSettings(
    String profile,
    Duration baselineDuration,
    int baselineConcurrency,
    Duration warmupDuration,
    double warmupRate,
    Duration latencyDuration,
    double singleRate,
    double batchRate,
    int batchSize,
    Duration throughputDuration,
    int singleConcurrency,
    int batchConcurrency,
    Duration targetRateDuration,
    double singleTargetRate,
    double batchTargetRate,
    int maxInFlight,
    Duration requestTimeout,
    Duration drainTimeout,
    String durability,
    int healthConcurrency,
    Duration healthInterval,
    String healthPath,
    Duration overloadDuration,
    double overloadFactor,
    double overloadRate,
    Duration trainingDuration,
    Duration settleMax,
    double settleJitCores,
    Map<String, String> serviceProperties,
    java.util.List<String> serviceJvmOptions,
    Map<String, String> postgresSettings) {

  static BenchSettings parse(String... args) {
    var values = new LinkedHashMap<String, String>();
    for (String arg : args) {
      for (String token : arg.trim().split("\\s+")) {
        if (token.isBlank()) {
          continue;
        }
        int equals = token.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("Expected key=value, got: " + token);
        }
        values.put(token.substring(0, equals), token.substring(equals + 1));
      }
    }
    String profile = values.getOrDefault("profile", "full");
    Map<String, String> defaults =
        switch (profile) {
          case "full" ->
              Map.ofEntries(
                  Map.entry("baselineDuration", "10s"),
                  Map.entry("warmupDuration", "30s"),
                  Map.entry("latencyDuration", "60s"),
                  Map.entry("throughputDuration", "30s"),
                  Map.entry("targetRateDuration", "30s"),
                  Map.entry("overloadDuration", "30s"),
                  Map.entry("drainTimeout", "90s"));
          case "smoke" ->
              Map.ofEntries(
                  Map.entry("baselineDuration", "3s"),
                  Map.entry("warmupDuration", "5s"),
                  Map.entry("latencyDuration", "8s"),
                  Map.entry("throughputDuration", "8s"),
                  Map.entry("targetRateDuration", "5s"),
                  Map.entry("overloadDuration", "5s"),
                  Map.entry("settleMax", "0s"),
                  Map.entry("drainTimeout", "30s"));
          case "health" ->
              Map.ofEntries(
                  Map.entry("baselineDuration", "3s"),
                  Map.entry("warmupDuration", "30s"),
                  Map.entry("latencyDuration", "30s"),
                  Map.entry("drainTimeout", "30s"));
          case "warmup" ->
              Map.ofEntries(
                  Map.entry("warmupDuration", "30s"),
                  Map.entry("trainingDuration", "30s"),
                  Map.entry("drainTimeout", "60s"));
          default -> throw new IllegalArgumentException("Unknown profile " + profile);
        };
    var merged = new LinkedHashMap<>(defaults);
    merged.putAll(values);
    var settings =
        new BenchSettings(
            profile,
            duration(merged, "baselineDuration", "10s"),
            integer(merged, "baselineConcurrency", 16),
            duration(merged, "warmupDuration", "30s"),
            decimal(merged, "warmupRate", 300),
            duration(merged, "latencyDuration", "60s"),
            decimal(merged, "singleRate", 500),
            decimal(merged, "batchRate", 10),
            integer(merged, "batchSize", 50),
            duration(merged, "throughputDuration", "30s"),
            integer(merged, "singleConcurrency", 64),
            integer(merged, "batchConcurrency", 16),
            duration(merged, "targetRateDuration", "30s"),
            decimal(merged, "singleTargetRate", 2500),
            decimal(merged, "batchTargetRate", 400),
            integer(merged, "maxInFlight", 2000),
            duration(merged, "requestTimeout", "10s"),
            duration(merged, "drainTimeout", "90s"),
            merged.getOrDefault("durability", "production"),
            integer(merged, "healthConcurrency", 500),
            duration(merged, "healthInterval", "1s"),
            merged.getOrDefault("healthPath", "/actuator/health"),
            duration(merged, "overloadDuration", "30s"),
            decimal(merged, "overloadFactor", 2),
            decimal(merged, "overloadRate", 0),
            duration(merged, "trainingDuration", "30s"),
            duration(merged, "settleMax", "120s"),
            decimal(merged, "settleJitCores", 0.05),
            nameValues(merged.getOrDefault("serviceProperties", "")),
            java.util.Arrays.stream(merged.getOrDefault("serviceJvmOptions", "").split(";"))
                .filter(option -> !option.isBlank())
                .toList(),
            nameValues(merged.getOrDefault("postgresSettings", "")));
    if (!java.util.Set.of("production", "no-fsync", "embedded").contains(settings.durability())) {
      throw new IllegalArgumentException("durability is production, no-fsync or embedded");
    }
    merged.keySet().removeAll(KNOWN);
    if (!merged.isEmpty()) {
      throw new IllegalArgumentException("Unknown settings: " + merged.keySet());
    }
    return settings;
  }

  private static final java.util.Set<String> KNOWN =
      java.util.Set.of(
          "profile",
          "baselineDuration",
          "baselineConcurrency",
          "warmupDuration",
          "warmupRate",
          "latencyDuration",
          "singleRate",
          "batchRate",
          "batchSize",
          "throughputDuration",
          "singleConcurrency",
          "batchConcurrency",
          "targetRateDuration",
          "singleTargetRate",
          "batchTargetRate",
          "maxInFlight",
          "requestTimeout",
          "drainTimeout",
          "durability",
          "healthConcurrency",
          "healthInterval",
          "healthPath",
          "overloadDuration",
          "overloadFactor",
          "overloadRate",
          "trainingDuration",
          "settleMax",
          "settleJitCores",
          "serviceProperties",
          "serviceJvmOptions",
          "postgresSettings");

  /**
   * Extra properties of the service, {@code name=value} separated by commas: a variant compared
   * with the service as configured (e.g. {@code
   * serviceProperties=management.tracing.enabled=false}).
   */
  private static Map<String, String> nameValues(String value) {
    var properties = new LinkedHashMap<String, String>();
    for (String entry : value.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("Expected name=value, got " + entry);
      }
      properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
    }
    return Map.copyOf(properties);
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

  private static int integer(Map<String, String> values, String key, int fallback) {
    return values.containsKey(key) ? Integer.parseInt(values.get(key).trim()) : fallback;
  }

  private static double decimal(Map<String, String> values, String key, double fallback) {
    return values.containsKey(key) ? Double.parseDouble(values.get(key).trim()) : fallback;
  }
}
