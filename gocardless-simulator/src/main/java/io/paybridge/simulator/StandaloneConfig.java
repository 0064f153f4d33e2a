package io.paybridge.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Settings for the standalone simulator, read from (highest precedence first) {@code --key=value}
 * arguments, system properties {@code simulator.key}, environment variables {@code SIMULATOR_KEY},
 * and the properties file named by {@code simulator.config} / {@code SIMULATOR_CONFIG} / {@code
 * --config=path}. Keys are listed in the README.
 */
final class StandaloneConfig {
  private final Properties file = new Properties();
  private final Map<String, String> args = new java.util.HashMap<>();
  private final Map<String, String> env;

  StandaloneConfig(String[] arguments, Map<String, String> env) throws IOException {
    this.env = env;
    for (String arg : arguments) {
      if (arg.startsWith("--") && arg.contains("=")) {
        args.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    String config = get("config");
    if (config != null) {
      try (InputStream in = Files.newInputStream(Path.of(config))) {
        file.load(in);
      }
    }
  }

  String get(String key) {
    if (args.containsKey(key)) {
      return args.get(key);
    }
    String property = System.getProperty("simulator." + key);
    if (property != null) {
      return property;
    }
    String fromEnv = env.get("SIMULATOR_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getProperty("simulator." + key, file.getProperty(key));
  }

  SimulatorSettings settings() {
    SimulatorSettings s = SimulatorSettings.defaults().withPort(8089);
    String value;
    if ((value = get("host")) != null) {
      s = s.withHost(value);
    }
    if ((value = get("port")) != null) {
      s = s.withPort(Integer.parseInt(value.trim()));
    }
    if ((value = get("public-url")) != null) {
      s = s.withPublicUrl(value.trim());
    }
    String clientId = get("client-id");
    String clientSecret = get("client-secret");
    String redirectUris = get("redirect-uris");
    if (clientId != null || clientSecret != null || redirectUris != null) {
      SimulatorSettings.PartnerApp app = s.partnerApp();
      s =
          s.withPartnerApp(
              new SimulatorSettings.PartnerApp(
                  app.name(),
                  clientId != null ? clientId : app.clientId(),
                  clientSecret != null ? clientSecret : app.clientSecret(),
                  redirectUris != null ? split(redirectUris) : app.redirectUris()));
    }
    String webhookUrl = get("webhook-url");
    String webhookSecret = get("webhook-secret");
    if (webhookUrl != null || webhookSecret != null) {
      s =
          s.withWebhookEndpoint(
              webhookUrl != null ? webhookUrl : s.webhookUrl(),
              webhookSecret != null ? webhookSecret : s.webhookSecret());
    }
    if ((value = get("webhook-retry-delays")) != null) {
      s = s.withWebhookRetryDelays(split(value).stream().map(StandaloneConfig::duration).toList());
    }
    if ((value = get("webhook-timeout")) != null) {
      s = s.withWebhookTimeout(duration(value));
    }
    if ((value = get("rate-limit")) != null) {
      String window = get("rate-limit-window");
      s =
          s.withRateLimit(
              Integer.parseInt(value.trim()),
              window != null ? duration(window) : s.rateLimitWindow());
    }
    if ((value = get("organisations")) != null) {
      List<SimulatorSettings.SeedOrganisation> seeds = new ArrayList<>();
      for (String entry : value.split(";")) {
        if (entry.isBlank()) {
          continue;
        }
        String[] f = entry.split("\\|", -1);
        if (f.length < 4) {
          throw new IllegalArgumentException(
              "simulator.organisations entries are OR-id|CR-id|name|verification_status[|token]");
        }
        seeds.add(
            new SimulatorSettings.SeedOrganisation(
                f[0].trim(),
                f[2].trim(),
                f[1].trim(),
                f[3].trim(),
                f.length > 4 && !f[4].isBlank() ? f[4].trim() : null,
                true));
      }
      s = s.withOrganisations(seeds);
    }
    if ((value = get("static-tokens")) != null) {
      for (String pair : split(value)) {
        String[] kv = pair.split("=", 2);
        s = s.withStaticToken(kv[0].trim(), kv[1].trim());
      }
    }
    if ((value = get("tick-interval")) != null) {
      s = s.withTickInterval(duration(value));
    }
    if ((value = get("clock-start")) != null) {
      s = s.withClockStart(Instant.parse(value.trim()));
    }
    if ((value = get("verification-review-delay")) != null) {
      s = s.withVerificationReviewDelay(duration(value));
    }
    if ((value = get("replay-idempotent-creates")) != null) {
      s = s.withReplayIdempotentCreates(Boolean.parseBoolean(value.trim()));
    }
    return s;
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT2S}). */
  static Duration duration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      return Duration.parse(value.trim());
    }
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    long amount = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("Unknown duration: " + value);
    };
  }
}
