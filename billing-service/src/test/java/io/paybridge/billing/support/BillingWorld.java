package io.paybridge.billing.support;

import io.paybridge.platform.testsupport.GoCardlessEventsStandIn;
import io.paybridge.platform.testsupport.http.FaultyProxy;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.http.MerchantTokenEndpoint;
import io.paybridge.platform.testsupport.oidc.TestIssuer;
import io.paybridge.simulator.GoCardlessSimulator;
import io.paybridge.simulator.SimulatedOrganisation;
import io.paybridge.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The real parts around billing-service, once per test JVM: the GoCardless simulator behind a proxy
 * that can fail on demand, the test issuer, a stand-in of oauth-service's merchant-token endpoint
 * (over HTTP, checking the service's client-credentials token) and a publisher of GoCardless events
 * as webhook-ingest-service would publish them.
 */
public final class BillingWorld {

  public static final String AUDIENCE = "billing-service";
  public static final String CLIENT_ID = "billing-service";

  private static BillingWorld world;

  public final GoCardlessSimulator simulator;
  public final FaultyProxy gocardless;
  public final TestIssuer issuer;
  public final MerchantTokenEndpoint merchantTokens;
  public final GoCardlessEventsStandIn events;

  private BillingWorld() {
    simulator =
        GoCardlessSimulator.start(SimulatorSettings.defaults().withTickInterval(Duration.ZERO));
    gocardless = FaultyProxy.to(simulator.baseUrl());
    issuer = TestIssuer.get();
    merchantTokens = MerchantTokenEndpoint.forClients(CLIENT_ID);
    events = new GoCardlessEventsStandIn();
  }

  public static synchronized BillingWorld get() {
    if (world == null) {
      world = new BillingWorld();
    }
    return world;
  }

  public String teamToken(String team, String... scopes) {
    return issuer.teamToken(team, AUDIENCE, scopes);
  }

  /** Every event of an organisation so far, oldest first, as GoCardless's events API lists them. */
  public List<JsonNode> eventsOf(SimulatedOrganisation organisation) {
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    do {
      var response =
          Http.getWithHeaders(
              simulator.baseUrl() + "/events?limit=500" + (after == null ? "" : "&after=" + after),
              organisation.accessToken(),
              Map.of("GoCardless-Version", "2015-07-06"));
      var body = response.json();
      body.path("events").forEach(all::add);
      var next = body.path("meta").path("cursors").path("after");
      after = next.isNull() || next.isMissingNode() ? null : next.asString();
    } while (after != null);
    return all.reversed();
  }
}
