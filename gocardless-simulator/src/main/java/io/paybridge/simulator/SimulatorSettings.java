package io.paybridge.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything the simulator can be configured with. Start from {@link #defaults()} and change what
 * you need with the {@code with...} methods; each returns a new settings value.
 *
 * @param host address to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} to listen on every
 *     interface)
 * @param port port to bind; {@code 0} picks a free port (default 0)
 * @param publicUrl the URL payers and API clients reach the simulator at, used in {@code
 *     authorisation_url}; null = {@code http://<host>:<port>}
 * @param partnerApp the registered partner app (OAuth client id/secret, redirect URIs)
 * @param organisations seed organisations (merchants), each with one creditor
 * @param staticTokens extra bearer tokens accepted as-is: token → organisation id (a merchant's own
 *     API tokens)
 * @param webhookUrl where webhooks are POSTed (the partner app's webhook URL); null = webhooks are
 *     recorded but not sent
 * @param webhookSecret the webhook endpoint secret used to sign every webhook
 * @param webhookRetryDelays delays before each automatic retry of a failed webhook; GoCardless
 *     retries up to 8 times over hours, the default compresses that to seconds
 * @param webhookTimeout how long a webhook receiver has to answer 2xx (GoCardless: 10 s)
 * @param webhookBatchWindow how long events are collected into one webhook before it is sent
 * @param rateLimit requests allowed per token per {@code rateLimitWindow} (GoCardless: 1000 per
 *     minute)
 * @param rateLimitWindow the rate limit window
 * @param clockStart simulated "now" at start; null = the real time
 * @param tickInterval how often the simulator applies due transitions by itself (payments
 *     submitted/confirmed/paid out on their dates, flows expiring); {@link Duration#ZERO} = only
 *     when the clock is advanced
 * @param replayIdempotentCreates false (default, as GoCardless): any reuse of an {@code
 *     Idempotency-Key} answers 409 {@code idempotent_creation_conflict}; true: a reuse with the
 *     same body answers 201 with the original resource
 * @param verificationReviewDelay how long a merchant's verification details stay {@code in_review}
 *     after they are submitted on the verification page ({@code /verify}) before the creditor
 *     becomes {@code successful}, in simulated time (default 5 minutes; GoCardless's own review
 *     takes hours to days)
 * @param seed seed of the id generator (ids are reproducible for a given sequence of calls)
 */
public record SimulatorSettings(
    String host,
    int port,
    String publicUrl,
    PartnerApp partnerApp,
    List<SeedOrganisation> organisations,
    Map<String, String> staticTokens,
    String webhookUrl,
    String webhookSecret,
    List<Duration> webhookRetryDelays,
    Duration webhookTimeout,
    Duration webhookBatchWindow,
    int rateLimit,
    Duration rateLimitWindow,
    Instant clockStart,
    Duration tickInterval,
    boolean replayIdempotentCreates,
    Duration verificationReviewDelay,
    long seed) {

  /** Default partner app client id. */
  public static final String DEFAULT_CLIENT_ID = "paybridge-simulator-client";

  /** Default partner app client secret. */
  public static final String DEFAULT_CLIENT_SECRET = "paybridge-simulator-secret";

  /** Default webhook secret (the one of docs/gocardless/API.md §5.5 vector #3). */
  public static final String DEFAULT_WEBHOOK_SECRET = "local-simulator-webhook-secret";

  public SimulatorSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(partnerApp, "partnerApp");
    organisations = List.copyOf(organisations);
    staticTokens = Map.copyOf(staticTokens);
    webhookRetryDelays = List.copyOf(webhookRetryDelays);
    Objects.requireNonNull(webhookSecret, "webhookSecret");
    Objects.requireNonNull(webhookTimeout, "webhookTimeout");
    Objects.requireNonNull(webhookBatchWindow, "webhookBatchWindow");
    Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
    Objects.requireNonNull(tickInterval, "tickInterval");
    Objects.requireNonNull(verificationReviewDelay, "verificationReviewDelay");
    if (verificationReviewDelay.isNegative()) {
      throw new IllegalArgumentException("verificationReviewDelay must not be negative");
    }
    if (rateLimit < 1) {
      throw new IllegalArgumentException("rateLimit must be at least 1");
    }
  }

  /**
   * The registered partner app.
   *
   * @param name shown on the consent page
   * @param clientId OAuth client id
   * @param clientSecret OAuth client secret
   * @param redirectUris the registered redirect URLs ({@code redirect_uri} must match one exactly)
   */
  public record PartnerApp(
      String name, String clientId, String clientSecret, List<String> redirectUris) {
    public PartnerApp {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      redirectUris = List.copyOf(redirectUris);
    }
  }

  /**
   * A merchant organisation present from the start, with its single creditor.
   *
   * @param organisationId {@code OR...}
   * @param name organisation and creditor name
   * @param creditorId {@code CR...}
   * @param verificationStatus {@code successful}, {@code in_review} or {@code action_required}
   * @param accessToken a static token for this organisation (its own API token), or null
   * @param connectedToApp true if the partner app is already connected (so it can be disconnected)
   */
  public record SeedOrganisation(
      String organisationId,
      String name,
      String creditorId,
      String verificationStatus,
      String accessToken,
      boolean connectedToApp) {}

  /** Default seed: organisation/creditor/token per verification status (see README). */
  public static List<SeedOrganisation> defaultOrganisations() {
    return List.of(
        new SeedOrganisation(
            "OR0000SIMACME1",
            "Acme Yoga Studio",
            "CR0000SIMACME1",
            "successful",
            "sandbox_simulator_acme",
            true),
        new SeedOrganisation(
            "OR0000SIMBETA2",
            "Beta Bakery",
            "CR0000SIMBETA2",
            "in_review",
            "sandbox_simulator_beta",
            true),
        new SeedOrganisation(
            "OR0000SIMGAMA3",
            "Gamma Gym",
            "CR0000SIMGAMA3",
            "action_required",
            "sandbox_simulator_gamma",
            true));
  }

  /** Defaults for tests and local runs: random port, default seed, compressed webhook retries. */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings(
        "127.0.0.1",
        0,
        null,
        new PartnerApp(
            "PayBridge (simulated partner app)",
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            List.of(
                "http://localhost:8080/oauth/callback", "http://127.0.0.1:8080/oauth/callback")),
        defaultOrganisations(),
        Map.of(),
        null,
        DEFAULT_WEBHOOK_SECRET,
        List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(5)),
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        1000,
        Duration.ofMinutes(1),
        null,
        Duration.ofSeconds(1),
        false,
        Duration.ofMinutes(5),
        42L);
  }

  public SimulatorSettings withHost(String value) {
    return with(d -> d.host = value);
  }

  public SimulatorSettings withPort(int value) {
    return with(d -> d.port = value);
  }

  public SimulatorSettings withPublicUrl(String value) {
    return with(d -> d.publicUrl = value);
  }

  public SimulatorSettings withPartnerApp(PartnerApp value) {
    return with(d -> d.partnerApp = value);
  }

  /** Replaces the registered redirect URIs of the partner app. */
  public SimulatorSettings withRedirectUris(List<String> uris) {
    return withPartnerApp(
        new PartnerApp(partnerApp.name(), partnerApp.clientId(), partnerApp.clientSecret(), uris));
  }

  public SimulatorSettings withOrganisations(List<SeedOrganisation> value) {
    return with(d -> d.organisations = value);
  }

  /** Adds a static bearer token for an organisation. */
  public SimulatorSettings withStaticToken(String token, String organisationId) {
    Map<String, String> tokens = new LinkedHashMap<>(staticTokens);
    tokens.put(token, organisationId);
    return with(d -> d.staticTokens = tokens);
  }

  public SimulatorSettings withWebhookEndpoint(String url, String secret) {
    return with(
        d -> {
          d.webhookUrl = url;
          d.webhookSecret = secret;
        });
  }

  public SimulatorSettings withWebhookRetryDelays(List<Duration> value) {
    return with(d -> d.webhookRetryDelays = value);
  }

  public SimulatorSettings withWebhookTimeout(Duration value) {
    return with(d -> d.webhookTimeout = value);
  }

  public SimulatorSettings withWebhookBatchWindow(Duration value) {
    return with(d -> d.webhookBatchWindow = value);
  }

  public SimulatorSettings withRateLimit(int limit, Duration window) {
    return with(
        d -> {
          d.rateLimit = limit;
          d.rateLimitWindow = window;
        });
  }

  public SimulatorSettings withClockStart(Instant value) {
    return with(d -> d.clockStart = value);
  }

  public SimulatorSettings withTickInterval(Duration value) {
    return with(d -> d.tickInterval = value);
  }

  /**
   * The id generator's seed. Two simulators with the same seed issue the same ids in the same
   * order; give each its own when their ids meet in one place (one service's database).
   */
  public SimulatorSettings withSeed(long value) {
    return with(d -> d.seed = value);
  }

  public SimulatorSettings withReplayIdempotentCreates(boolean value) {
    return with(d -> d.replayIdempotentCreates = value);
  }

  public SimulatorSettings withVerificationReviewDelay(Duration value) {
    return with(d -> d.verificationReviewDelay = value);
  }

  /**
   * A copy of these settings with {@code change} applied, validated by the canonical constructor.
   */
  private SimulatorSettings with(Consumer<Draft> change) {
    var draft = new Draft(this);
    change.accept(draft);
    return draft.settings();
  }

  /**
   * The components of a settings value while one {@code with...} method changes some: one copy
   * mechanism instead of each method repeating all eighteen components. Never escapes this record.
   */
  private static final class Draft {
    String host;
    int port;
    String publicUrl;
    PartnerApp partnerApp;
    List<SeedOrganisation> organisations;
    Map<String, String> staticTokens;
    String webhookUrl;
    String webhookSecret;
    List<Duration> webhookRetryDelays;
    Duration webhookTimeout;
    Duration webhookBatchWindow;
    int rateLimit;
    Duration rateLimitWindow;
    Instant clockStart;
    Duration tickInterval;
    boolean replayIdempotentCreates;
    Duration verificationReviewDelay;
    long seed;

    Draft(SimulatorSettings from) {
      host = from.host;
      port = from.port;
      publicUrl = from.publicUrl;
      partnerApp = from.partnerApp;
      organisations = from.organisations;
      staticTokens = from.staticTokens;
      webhookUrl = from.webhookUrl;
      webhookSecret = from.webhookSecret;
      webhookRetryDelays = from.webhookRetryDelays;
      webhookTimeout = from.webhookTimeout;
      webhookBatchWindow = from.webhookBatchWindow;
      rateLimit = from.rateLimit;
      rateLimitWindow = from.rateLimitWindow;
      clockStart = from.clockStart;
      tickInterval = from.tickInterval;
      replayIdempotentCreates = from.replayIdempotentCreates;
      verificationReviewDelay = from.verificationReviewDelay;
      seed = from.seed;
    }

    SimulatorSettings settings() {
      return new SimulatorSettings(
          host,
          port,
          publicUrl,
          partnerApp,
          organisations,
          staticTokens,
          webhookUrl,
          webhookSecret,
          webhookRetryDelays,
          webhookTimeout,
          webhookBatchWindow,
          rateLimit,
          rateLimitWindow,
          clockStart,
          tickInterval,
          replayIdempotentCreates,
          verificationReviewDelay,
          seed);
    }
  }
}
