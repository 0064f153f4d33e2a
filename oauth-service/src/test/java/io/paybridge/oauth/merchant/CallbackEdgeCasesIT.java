package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * What can go wrong around the callback: the store failing after GoCardless issued a token, the
 * expiry sweep meeting a callback in flight, and floods of refused callbacks.
 */
class CallbackEdgeCasesIT extends IntegrationHarness {

  @Autowired ConnectService connect;
  @Autowired Environment environment;

  @Test
  void whenTheConnectionCannotBeStoredTheTokenIsRevokedAndTheConnectionFails() throws Exception {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    // A real database fault inside the storing transaction, for this merchant only.
    jdbc.execute(
        """
        create or replace function refuse_token_for_test() returns trigger language plpgsql as
        $$ begin raise exception 'token storage refused by the test'; end $$
        """);
    String trigger = "refuse_token_" + merchantId.replace("-", "");
    jdbc.execute(
        "create trigger "
            + trigger
            + " before insert on merchant_token for each row when (new.merchant_id = '"
            + merchantId
            + "') execute function refuse_token_for_test()");
    Http.Response back;
    try {
      back = Http.get(callback, null);
    } finally {
      jdbc.execute("drop trigger " + trigger + " on merchant_token");
    }

    assertThat(back.status()).as(back.body()).isEqualTo(303);
    assertThat(Http.query(back.location()))
        .containsEntry("merchant_id", merchantId)
        .containsEntry("outcome", "failed")
        .containsEntry("reason", "storage_failed");
    var merchant = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
    assertThat(merchant.get("status").asString()).isEqualTo("failed");
    assertThat(merchant.get("failureReason").asString()).isEqualTo("storage_failed");
    assertThat(tokenRows(merchantId)).isZero();
    // GoCardless issued a token the service could not keep: it no longer works there.
    String issued =
        Http.json(world.gocardless.lastResponseBody("/oauth/access_token"))
            .get("access_token")
            .asString();
    assertThat(creditorsStatus(issued)).isEqualTo(401);
  }

  @Test
  void theExpirySweepLeavesAConnectionWhoseCallbackIsExchangingItsCodeAlone() throws Exception {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);

    CompletableFuture<Http.Response> back;
    try (var exchange = world.gocardless.hold("/oauth/access_token")) {
      back = CompletableFuture.supplyAsync(() -> Http.get(callback, null));
      // The state is used up and the code is on its way to GoCardless...
      exchange.awaitArrival(back);
      // ...when the link's expiry passes and the sweep runs.
      jdbc.update(
          "update merchant set state_expires_at = clock_timestamp() - interval '1 second'"
              + " where id = ?",
          merchantId);
      connect.failExpiredConnections();
      assertThat(statusOf("team-a", merchantId)).isEqualTo("pending");
      exchange.release();
      assertThat(back.get(30, TimeUnit.SECONDS).status()).isEqualTo(303);
    }

    assertThat(Http.query(back.get().location())).containsEntry("outcome", "connected");
    assertThat(statusOf("team-a", merchantId)).isEqualTo("connected");
  }

  @Test
  void aConnectionWhoseCallbackWasAbandonedLongAgoIsFailedByTheSweep() {
    var started = startConnection("team-a", "{}").json();
    String merchantId = started.get("merchantId").asString();
    // The process that consumed the state died before it could record any outcome.
    jdbc.update(
        "update merchant set state_consumed_at = clock_timestamp() - interval '1 hour',"
            + " state_expires_at = clock_timestamp() - interval '50 minutes' where id = ?",
        merchantId);

    connect.failExpiredConnections();

    var merchant = Http.get(url("/merchants/" + merchantId), world.teamToken("team-a")).json();
    assertThat(merchant.get("status").asString()).isEqualTo("failed");
    assertThat(merchant.get("failureReason").asString()).isEqualTo("callback_interrupted");
  }

  @Test
  void refusedCallbacksAreRateLimitedPerAddressAndTheExcessIsNotRecorded() throws Exception {
    int limit =
        environment.getRequiredProperty(
            "paybridge.oauth.connect.refused-callbacks.limit", Integer.class);
    InetAddress flooding = InetAddress.getByName("127.0.0.2");
    String forged = url("/oauth/callback?code=x&state=Zm9yZ2Vk.QUFBQUFBQUFBQUFBQUFB");
    int recordedBefore = recordedFrom("127.0.0.2");

    for (int i = 0; i < limit; i++) {
      assertThat(Http.getFrom(flooding, forged).status()).isEqualTo(400);
    }
    var limited = Http.getFrom(flooding, forged);
    var limitedAgain = Http.getFrom(flooding, forged);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(limited.json().get("type").asString())
        .isEqualTo("https://paybridge.io/problems/too-many-refused-callbacks");
    assertThat(limited.json().get("requestId").asString()).isNotBlank();
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
    assertThat(limitedAgain.status()).isEqualTo(429);
    assertThat(recordedFrom("127.0.0.2") - recordedBefore).isEqualTo(limit);
    // Another address is not affected.
    assertThat(Http.getFrom(InetAddress.getByName("127.0.0.3"), forged).status()).isEqualTo(400);
  }

  @Test
  void behindTheGatewayTheForwardedClientAddressIsLimitedAndNobodyElseCanNameOne()
      throws Exception {
    int limit =
        environment.getRequiredProperty(
            "paybridge.oauth.connect.refused-callbacks.limit", Integer.class);
    // 127.0.0.4 is the gateway here (server.tomcat.remoteip.internal-proxies of the tests).
    InetAddress gateway = InetAddress.getByName("127.0.0.4");
    String forged = url("/oauth/callback?code=x&state=Zm9yZ2Vk.QUFBQUFBQUFBQUFBQUFB");
    var client = Map.of("X-Forwarded-For", "203.0.113.7");

    for (int i = 0; i < limit; i++) {
      assertThat(Http.getFromWithHeaders(gateway, forged, client).status()).isEqualTo(400);
    }
    assertThat(Http.getFromWithHeaders(gateway, forged, client).status()).isEqualTo(429);
    assertThat(recordedFrom("203.0.113.7")).isEqualTo(limit);
    assertThat(recordedFrom("127.0.0.4")).isZero();
    // The gateway's other clients are not limited with that one.
    assertThat(
            Http.getFromWithHeaders(gateway, forged, Map.of("X-Forwarded-For", "203.0.113.8"))
                .status())
        .isEqualTo(400);
    // A caller that is not the gateway cannot pick the address it is counted under.
    InetAddress direct = InetAddress.getByName("127.0.0.5");
    assertThat(
            Http.getFromWithHeaders(direct, forged, Map.of("X-Forwarded-For", "203.0.113.7"))
                .status())
        .isEqualTo(400);
    assertThat(recordedFrom("127.0.0.5")).isEqualTo(1);
    assertThat(recordedFrom("203.0.113.7")).isEqualTo(limit);
  }

  private int recordedFrom(String address) {
    return jdbc.queryForObject(
        "select count(*) from oauth_callback_rejection where remote_addr = ?",
        Integer.class,
        address);
  }
}
