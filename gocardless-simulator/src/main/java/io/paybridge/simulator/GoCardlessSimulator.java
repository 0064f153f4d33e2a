package io.paybridge.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paybridge.simulator.billing.BankAuthorisationPage;
import io.paybridge.simulator.billing.BankAuthorisations;
import io.paybridge.simulator.billing.BankAuthorisationsApi;
import io.paybridge.simulator.billing.BillingRequests;
import io.paybridge.simulator.billing.BillingRequestsApi;
import io.paybridge.simulator.billing.HostedPages;
import io.paybridge.simulator.creditors.Creditors;
import io.paybridge.simulator.creditors.CreditorsApi;
import io.paybridge.simulator.creditors.VerificationPage;
import io.paybridge.simulator.customers.Customers;
import io.paybridge.simulator.customers.CustomersApi;
import io.paybridge.simulator.customers.HolderVerificationsApi;
import io.paybridge.simulator.events.EventsApi;
import io.paybridge.simulator.instalments.InstalmentSchedules;
import io.paybridge.simulator.instalments.InstalmentSchedulesApi;
import io.paybridge.simulator.internal.AccessToken;
import io.paybridge.simulator.internal.ApiDispatcher;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Ids;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Organisation;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Web;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import io.paybridge.simulator.mandates.MandatesApi;
import io.paybridge.simulator.oauth.OAuthEndpoints;
import io.paybridge.simulator.oauth.Organisations;
import io.paybridge.simulator.payments.Payments;
import io.paybridge.simulator.payments.PaymentsApi;
import io.paybridge.simulator.refunds.Refunds;
import io.paybridge.simulator.refunds.RefundsApi;
import io.paybridge.simulator.scenarios.Lifecycle;
import io.paybridge.simulator.scenarios.ScenarioSimulatorsApi;
import io.paybridge.simulator.subscriptions.Subscriptions;
import io.paybridge.simulator.subscriptions.SubscriptionsApi;
import io.paybridge.simulator.webhooks.Webhook;
import io.paybridge.simulator.webhooks.WebhookSender;
import io.paybridge.simulator.webhooks.WebhooksApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An offline, stateful GoCardless: the API subset, OAuth connect, hosted payer pages, scenario
 * simulators and signed webhooks, in memory, on one HTTP port. Plain Java (JDK HTTP server, Jackson
 * 3): safe to start inside any test JVM, including ones running Spring Boot applications, and it
 * starts in milliseconds.
 *
 * <pre>{@code
 * try (GoCardlessSimulator sim = GoCardlessSimulator.start(SimulatorSettings.defaults())) {
 *   GoCardlessClient client = GoCardlessClient.newBuilder("sandbox_simulator_acme")
 *       .withBaseUrl(sim.baseUrl()).build();
 *   ...
 *   sim.clock().advance(Duration.ofDays(5)); // payments move on
 * }
 * }</pre>
 */
public final class GoCardlessSimulator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GoCardlessSimulator.class.getName());

  private final SimulatorSettings settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService ticker;
  private final SimulatedClock clock;
  private final State state;
  private final JsonMapper mapper = Json.newMapper();
  private final WebhookSender webhooks;
  private final Organisations organisations;
  private final Lifecycle lifecycle;
  private final ApiDispatcher api;
  private final ScenarioSimulatorsApi scenarios;
  private final String baseUrl;

  private GoCardlessSimulator(SimulatorSettings settings) throws IOException {
    this.settings = settings;
    this.clock = new SimulatedClock(settings.clockStart());
    this.state = new State(new Ids(settings.seed()), clock::now);
    this.webhooks =
        new WebhookSender(
            state,
            mapper,
            settings.webhookUrl(),
            settings.webhookSecret(),
            settings.webhookRetryDelays(),
            settings.webhookTimeout(),
            settings.webhookBatchWindow());
    state.eventSink(webhooks::accept);

    Idempotency idempotency = new Idempotency(state, settings.replayIdempotentCreates());
    Creditors creditors = new Creditors(state);
    Customers customers = new Customers(state);
    Mandates mandates = new Mandates(state);
    Payments payments = new Payments(state, mandates);
    Subscriptions subscriptions = new Subscriptions(state, mandates, payments);
    Refunds refunds = new Refunds(state);
    InstalmentSchedules instalments = new InstalmentSchedules(state, mandates, payments);
    customers.onDisable(
        account -> {
          for (Mandate m :
              state.mandates.list(x -> account.id.equals(x.links.get("customer_bank_account")))) {
            if (!m.isInactive()) {
              mandates.cancel(
                  m,
                  "api",
                  "bank_account_closed",
                  "The customer's bank account was disabled.",
                  null);
            }
          }
        });
    this.organisations = new Organisations(state, creditors);
    this.lifecycle =
        new Lifecycle(state, mandates, payments, subscriptions, refunds, instalments, creditors);

    this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 200);
    String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
    this.baseUrl =
        settings.publicUrl() != null
            ? stripSlash(settings.publicUrl())
            : "http://" + host + ":" + server.getAddress().getPort();
    BillingRequests billing = new BillingRequests(state, customers, mandates, payments);
    this.scenarios =
        new ScenarioSimulatorsApi(state, creditors, mandates, payments, refunds, billing);

    CreditorsApi creditorsApi = new CreditorsApi(creditors);
    CustomersApi customersApi = new CustomersApi(state, customers);
    SubscriptionsApi subscriptionsApi = new SubscriptionsApi(state, mandates, subscriptions);
    billing.onSubscriptionRequest(subscriptionsApi::start);
    BankAuthorisations bankAuthorisations = new BankAuthorisations(state, billing, () -> baseUrl);
    BillingRequestsApi billingApi =
        new BillingRequestsApi(state, billing, subscriptionsApi, bankAuthorisations, () -> baseUrl);
    MandatesApi mandatesApi = new MandatesApi(state, mandates);
    PaymentsApi paymentsApi = new PaymentsApi(state, mandates, payments);
    RefundsApi refundsApi = new RefundsApi(state, refunds);
    InstalmentSchedulesApi instalmentsApi =
        new InstalmentSchedulesApi(state, mandates, instalments);
    Router router = new Router();
    creditorsApi.routes(router, idempotency);
    customersApi.routes(router, idempotency);
    new HolderVerificationsApi(state).routes(router, idempotency);
    billingApi.routes(router, idempotency);
    new BankAuthorisationsApi(state, bankAuthorisations).routes(router, idempotency);
    mandatesApi.routes(router, idempotency);
    paymentsApi.routes(router, idempotency);
    subscriptionsApi.routes(router, idempotency);
    refundsApi.routes(router, idempotency);
    instalmentsApi.routes(router, idempotency);
    new EventsApi(
            state,
            List.of(
                paymentsApi.payments(),
                mandatesApi.api(),
                billingApi.api(),
                creditorsApi.api(),
                customersApi.customers(),
                paymentsApi.payouts(),
                subscriptionsApi.api(),
                refundsApi.api(),
                instalmentsApi.api()))
        .routes(router);
    new WebhooksApi(state, webhooks).routes(router, idempotency);
    scenarios.routes(router);
    this.api =
        new ApiDispatcher(
            router,
            state,
            mapper,
            settings.rateLimit(),
            settings.rateLimitWindow(),
            settings.partnerApp().name());
    OAuthEndpoints oauth = new OAuthEndpoints(state, mapper, settings.partnerApp(), organisations);
    HostedPages pages = new HostedPages(state, billing);
    BankAuthorisationPage bank = new BankAuthorisationPage(state, bankAuthorisations);
    VerificationPage verification =
        new VerificationPage(state, creditors, settings.verificationReviewDelay());

    state.locked(this::seed);
    clock.onAdvance(this::tick);

    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/oauth/")) {
              oauth.handle(exchange);
            } else if (path.startsWith("/billing/static/")) {
              pages.handle(exchange);
            } else if (path.startsWith("/obauth/")) {
              bank.handle(exchange);
            } else if (path.equals("/verify")) {
              verification.handle(exchange);
            } else if (path.equals("/_simulator") || path.startsWith("/_simulator/")) {
              control(exchange);
            } else {
              api.handle(exchange);
            }
          } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Request failed: " + exchange.getRequestURI(), e);
            try {
              Web.send(
                  exchange,
                  500,
                  "text/plain",
                  ("internal error: " + e).getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
              // the client went away
            }
          } finally {
            exchange.close();
          }
        });
    server.start();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gocardless-simulator-clock");
              t.setDaemon(true);
              return t;
            });
    if (!settings.tickInterval().isZero()) {
      long every = settings.tickInterval().toMillis();
      ticker.scheduleWithFixedDelay(this::safeTick, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Starts a simulator; close it when done. */
  public static GoCardlessSimulator start(SimulatorSettings settings) {
    try {
      return new GoCardlessSimulator(settings);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the GoCardless simulator", e);
    }
  }

  /** Starts a simulator with {@link SimulatorSettings#defaults()}. */
  public static GoCardlessSimulator start() {
    return start(SimulatorSettings.defaults());
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private void seed() {
    for (SimulatorSettings.SeedOrganisation seed : settings.organisations()) {
      organisations.create(
          seed.organisationId(),
          seed.creditorId(),
          seed.name(),
          null,
          seed.verificationStatus(),
          seed.connectedToApp());
      if (seed.accessToken() != null) {
        state.tokens.put(
            seed.accessToken(),
            new AccessToken(
                seed.accessToken(), seed.organisationId(), "read_write", seed.connectedToApp()));
      }
    }
    settings
        .staticTokens()
        .forEach(
            (token, org) -> {
              if (state.organisation(org) == null) {
                throw new IllegalArgumentException("Static token for unknown organisation " + org);
              }
              state.tokens.put(token, new AccessToken(token, org, "read_write", false));
            });
  }

  /**
   * API base URL for the official client ({@code
   * GoCardlessClient.newBuilder(token).withBaseUrl(...)}).
   */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * OAuth ("connect") host: {@code connectUrl() + "/oauth/authorize"} and {@code
   * "/oauth/access_token"}.
   */
  public String connectUrl() {
    return baseUrl;
  }

  /** The port the simulator listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  public SimulatorSettings settings() {
    return settings;
  }

  /**
   * The simulated clock; {@link SimulatedClock#advance(Duration)} moves payments and mandates on.
   */
  public SimulatedClock clock() {
    return clock;
  }

  /** Applies every transition that is due at the current simulated time. */
  public void tick() {
    state.locked(lifecycle::tick);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Simulator tick failed", e);
    }
  }

  /**
   * Disconnects the partner app from an organisation, as the merchant revoking access in the
   * dashboard would: the app's tokens for it stop working and an {@code organisations}/{@code
   * disconnected} webhook (with {@code "id": null}) is sent.
   *
   * @return false if the app was not connected to it
   */
  public boolean disconnect(String organisationId) {
    return state.locked(() -> organisations.disconnect(organisationId));
  }

  /**
   * Issues an access token for an organisation as if the partner app had completed OAuth for it (a
   * shortcut for tests that do not exercise the connect flow).
   */
  public String issueAccessToken(String organisationId) {
    return state.locked(
        () -> {
          Organisation organisation = state.organisation(organisationId);
          if (organisation == null) {
            throw new IllegalArgumentException("Unknown organisation " + organisationId);
          }
          organisation.connectedToApp = true;
          return organisations.issueToken(organisationId, "read_write").token();
        });
  }

  /**
   * Creates a new organisation (merchant) with one creditor in the given verification status,
   * connected to the partner app, and an app access token for it: a quick way to give each test its
   * own merchant.
   */
  public SimulatedOrganisation createOrganisation(String name, String verificationStatus) {
    if (!Creditors.VERIFICATION_STATUSES.contains(verificationStatus)) {
      throw new IllegalArgumentException("Unknown verification status " + verificationStatus);
    }
    return state.locked(
        () -> {
          Organisation o = organisations.create(null, null, name, null, verificationStatus, true);
          return new SimulatedOrganisation(
              o.id, o.creditorId, organisations.issueToken(o.id, "read_write").token());
        });
  }

  /**
   * Changes the webhook URL and secret (applies to webhooks sent from now on, including retries).
   */
  public void configureWebhookEndpoint(String url, String secret) {
    webhooks.configure(url, secret);
  }

  /**
   * Sends one organisation's webhooks to its own endpoint (a merchant's webhook endpoint) instead
   * of the app's; {@code url == null} goes back to the app's endpoint.
   */
  public void configureWebhookEndpoint(String organisationId, String url, String secret) {
    webhooks.configure(organisationId, url, secret);
  }

  /** The webhook delivery log, oldest first. */
  public List<WebhookDelivery> webhookDeliveries() {
    return state.locked(
        () -> {
          List<WebhookDelivery> result = new ArrayList<>();
          for (Webhook w : state.webhooks.all()) {
            result.add(
                new WebhookDelivery(
                    w.id,
                    w.organisationId,
                    w.createdAt,
                    w.url,
                    w.requestBody,
                    w.requestHeaders.get("Webhook-Signature"),
                    w.responseCode,
                    w.successful,
                    w.attempts,
                    w.retrying,
                    w.lastError));
          }
          return result;
        });
  }

  /**
   * The {@code psu_interaction_type} a payment was created with ({@code in_session} or {@code
   * off_session}), empty when its creator sent none or the payment does not exist. GoCardless does
   * not return it in the payment, so this is how a test sees what the platform said.
   */
  public java.util.Optional<String> psuInteractionTypeOf(String paymentId) {
    return state.locked(
        () ->
            java.util.Optional.ofNullable(state.payments.get(paymentId))
                .map(p -> p.psuInteractionType));
  }

  /**
   * The verification page of an organisation's creditor (GoCardless's onboarding flow, where a
   * merchant in {@code action_required} is sent): {@code <base>/verify?organisation=OR...}.
   */
  public String verificationUrl(String organisationId) {
    return baseUrl + "/verify?organisation=" + organisationId;
  }

  /**
   * Scenario simulator identifiers supported by {@code POST /scenario_simulators/:id/actions/run}.
   */
  public List<String> supportedScenarios() {
    return scenarios.supported();
  }

  /** Clears rate-limit counters (tests that exercise 429s call this afterwards). */
  public void resetRateLimits() {
    api.resetRateLimits();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    server.stop(0);
    webhooks.close();
    executor.shutdownNow();
  }

  // ---- simulator control endpoints (/_simulator/...), documented in the README ----

  private void control(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Map<String, String> params = new LinkedHashMap<>(Web.query(exchange));
    byte[] body = Web.body(exchange);
    if (body.length > 0) {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null && contentType.startsWith("application/json")) {
        JsonNode json = mapper.readTree(body);
        for (Map.Entry<String, JsonNode> e : json.properties()) {
          params.put(e.getKey(), e.getValue().asString());
        }
      } else {
        params.putAll(Web.parseForm(new String(body, StandardCharsets.UTF_8)));
      }
    }
    Object result;
    int status = 200;
    String[] parts = path.split("/");
    if (path.equals("/_simulator") || path.equals("/_simulator/")) {
      result = info();
    } else if (path.equals("/_simulator/clock") && "GET".equals(method)) {
      result = clockInfo();
    } else if (path.equals("/_simulator/clock/advance") && "POST".equals(method)) {
      Duration d =
          Duration.ofDays(longParam(params, "days"))
              .plusHours(longParam(params, "hours"))
              .plusMinutes(longParam(params, "minutes"))
              .plusSeconds(longParam(params, "seconds"));
      clock.advance(d);
      result = clockInfo();
    } else if (path.equals("/_simulator/tick") && "POST".equals(method)) {
      tick();
      result = clockInfo();
    } else if (path.equals("/_simulator/organisations") && "GET".equals(method)) {
      result = organisationsInfo();
    } else if (parts.length == 5
        && "organisations".equals(parts[2])
        && "disconnect".equals(parts[4])
        && "POST".equals(method)) {
      boolean done = disconnect(parts[3]);
      status = done ? 200 : 404;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("organisation_id", parts[3]);
      m.put("disconnected", done);
      result = m;
    } else if (path.equals("/_simulator/webhook_endpoint") && "PUT".equals(method)) {
      configureWebhookEndpoint(params.get("url"), params.getOrDefault("secret", webhooks.secret()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", webhooks.url());
      result = m;
    } else if (parts.length == 5
        && "organisations".equals(parts[2])
        && "webhook_endpoint".equals(parts[4])
        && "PUT".equals(method)) {
      configureWebhookEndpoint(parts[3], params.get("url"), params.get("secret"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("organisation_id", parts[3]);
      m.put("url", params.get("url"));
      result = m;
    } else if (path.equals("/_simulator/webhooks") && "GET".equals(method)) {
      result = Map.of("webhooks", webhookDeliveries());
    } else {
      status = 404;
      result = Map.of("error", "unknown simulator control endpoint " + method + " " + path);
    }
    Web.send(exchange, status, "application/json", mapper.writeValueAsBytes(result));
  }

  private static long longParam(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
  }

  private Map<String, Object> clockInfo() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("now", io.paybridge.simulator.internal.Times.iso(clock.now()));
    m.put("today", clock.today().toString());
    return m;
  }

  private List<Object> organisationsInfo() {
    return state.locked(
        () -> {
          List<Object> list = new ArrayList<>();
          for (Organisation o : state.organisations.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id);
            m.put("name", o.name);
            m.put("creditor_id", o.creditorId);
            m.put("verification_status", state.creditors.get(o.creditorId).verificationStatus);
            m.put("connected_to_app", o.connectedToApp);
            list.add(m);
          }
          return list;
        });
  }

  private Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("base_url", baseUrl);
    m.put("connect_url", connectUrl());
    m.put("client_id", settings.partnerApp().clientId());
    m.put("redirect_uris", settings.partnerApp().redirectUris());
    m.put("webhook_url", webhooks.url());
    m.put("organisations", organisationsInfo());
    List<String> tokens = new ArrayList<>();
    for (SimulatorSettings.SeedOrganisation seed : settings.organisations()) {
      if (seed.accessToken() != null) {
        tokens.add(seed.accessToken() + " -> " + seed.organisationId());
      }
    }
    settings.staticTokens().forEach((t, o) -> tokens.add(t + " -> " + o));
    m.put("static_tokens", tokens);
    m.put("verification_url", baseUrl + "/verify?organisation={organisation}");
    m.put("clock", clockInfo());
    m.put("scenarios", supportedScenarios());
    return m;
  }

  /**
   * Standalone entry point: {@code java -jar gocardless-simulator.jar [--port=8089]
   * [--config=file]}.
   */
  public static void main(String[] args) throws Exception {
    SimulatorSettings settings = new StandaloneConfig(args, System.getenv()).settings();
    GoCardlessSimulator sim = start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "gocardless-simulator-shutdown"));
    System.out.println("GoCardless simulator listening on " + sim.baseUrl());
    System.out.println("  API base URL:    " + sim.baseUrl());
    System.out.println("  OAuth authorize: " + sim.connectUrl() + "/oauth/authorize");
    System.out.println("  Partner app:     client_id=" + settings.partnerApp().clientId());
    System.out.println(
        "  Webhooks to:     " + (settings.webhookUrl() == null ? "(none)" : settings.webhookUrl()));
    for (SimulatorSettings.SeedOrganisation o : settings.organisations()) {
      System.out.println(
          "  Organisation "
              + o.organisationId()
              + " ("
              + o.name()
              + ", "
              + o.verificationStatus()
              + ") token "
              + o.accessToken());
    }
    System.out.println(
        "  Verification:    " + sim.baseUrl() + "/verify?organisation=<organisation id>");
    System.out.println("  Control:         " + sim.baseUrl() + "/_simulator");
    Thread.currentThread().join();
  }
}
