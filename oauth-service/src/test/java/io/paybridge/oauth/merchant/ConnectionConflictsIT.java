package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections that meet something else: an organisation another team already connected, a creditor
 * that cannot be read after the code was exchanged, and the same callback arriving twice at once.
 * Expected outcomes are those the service documents (README, "Merchant states"); that a token works
 * or was revoked is asked of GoCardless (the simulator), not of the service.
 */
class ConnectionConflictsIT extends IntegrationHarness {

  @Test
  void anOrganisationConnectedByOneTeamCannotBeConnectedByAnotherAndTheFirstKeepsWorking() {
    String first = connectNewMerchant("team-a");
    String organisation = view("team-a", first).get("organisationId").asString();
    String firstToken = token(first);

    var started = startConnection("team-b", "{}").json();
    String second = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), organisation, true);
    var back = Http.get(callback, null);

    assertThat(back.status()).isEqualTo(303);
    assertThat(Http.query(back.location()))
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "organisation_already_connected");
    var secondView = view("team-b", second);
    assertThat(secondView.get("status").asString()).isEqualTo("failed");
    assertThat(secondView.get("failureReason").asString())
        .isEqualTo("organisation_already_connected");
    assertThat(tokenRows(second)).isZero();
    // The first team's connection is untouched: still connected, its token still accepted.
    assertThat(statusOf("team-a", first)).isEqualTo("connected");
    assertThat(creditorsStatus(firstToken)).isEqualTo(200);
  }

  @Test
  void aTokenWhoseCreditorCannotBeReadIsRevokedAndNotKept() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);

    long refusedBefore = world.gocardless.refusedRequests("/creditors");
    world.gocardless.downFor("/creditors");
    Http.Response back;
    try {
      back = Http.get(callback, null);
    } finally {
      world.gocardless.downFor();
    }
    // GoCardlessClient reads once: the official client's own retries are off.
    assertThat(world.gocardless.refusedRequests("/creditors") - refusedBefore)
        .as("creditor reads sent")
        .isEqualTo(1);

    assertThat(Http.query(back.location()))
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "creditor_unavailable");
    assertThat(tokenRows(merchantId)).isZero();
    String issued =
        Http.json(world.gocardless.lastResponseBody("/oauth/access_token"))
            .get("access_token")
            .asString();
    assertThat(creditorsStatus(issued)).as("the issued token was revoked").isEqualTo(401);
  }

  @Test
  void theSameCallbackTwiceAtOnceExchangesTheCodeOnceAndConnectsOnce() throws Exception {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    long exchangesBefore = exchanges();

    Http.Response second;
    CompletableFuture<Http.Response> first;
    try (var held = world.gocardless.hold("/oauth/access_token")) {
      first = CompletableFuture.supplyAsync(() -> Http.get(callback, null));
      // The first callback is at GoCardless, exchanging the code; the second arrives meanwhile.
      held.awaitArrival(first);
      second = Http.get(callback, null);
    }
    var firstBack = first.get(30, TimeUnit.SECONDS);

    assertThat(firstBack.status()).isEqualTo(303);
    assertThat(Http.query(firstBack.location())).containsEntry("outcome", "connected");
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/invalid-oauth-state");
    assertThat(exchanges() - exchangesBefore).as("code exchanges at GoCardless").isEqualTo(1);
    assertThat(statusOf("team-a", merchantId)).isEqualTo("connected");
    assertThat(creditorsStatus(token(merchantId))).isEqualTo(200);
  }

  private static long exchanges() {
    return world.gocardless.relayed().stream()
        .filter(r -> r.path().equals("/oauth/access_token"))
        .count();
  }
}
