package io.paybridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.gocardless.GoCardlessProperties;
import io.paybridge.oauth.merchant.ConnectProperties;
import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.oauth.support.WebhookIngestStandIn;
import io.paybridge.oauth.vault.KeyRotation;
import io.paybridge.oauth.vault.TokenCipher;
import io.paybridge.oauth.vault.TokenEncryptionProperties;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.KafkaTestConsumer;
import io.paybridge.platform.testsupport.http.Http;
import io.paybridge.platform.testsupport.logging.TraceLogCapture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * No secret (the partner app's client secret, an authorisation code, a merchant's access token, the
 * state-signing key, a token-encryption key) reaches a log at any level, a response, a topic or a
 * table, across the whole journey: connect, token read, key rotation, a GoCardless-side disconnect,
 * a team disconnect with its revoke, and GoCardless failing during the exchange and after it.
 */
class SecretsNeverLeakIT extends IntegrationHarness {

  private static final Pattern JWT = Pattern.compile("eyJ[\\w-]{10,}\\.eyJ[\\w-]{10,}\\.");

  @Autowired GoCardlessProperties gocardlessProperties;
  @Autowired ConnectProperties connectProperties;
  @Autowired TokenEncryptionProperties encryption;
  @Autowired KeyRotation rotation;
  @Autowired ObjectMapper mapper;

  /** Every answer of the service the test saw, except the one that exists to hand out a token. */
  private final List<String> responses = new ArrayList<>();

  /** Secret → what it is, in every form it could take (raw, URL-encoded, Base64, hex). */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  @Test
  void noSecretReachesALogAtTraceAResponseATopicOrATable() {
    int relayedBefore = world.gocardless.relayed().size();
    List<KafkaTestConsumer.Received> records;
    try (var kafka =
            KafkaTestConsumer.fromNow(
                Topics.MERCHANTS_CONNECTION,
                Topics.deadLetter(Topics.GOCARDLESS_ORGANISATIONS, "oauth-service"),
                Topics.deadLetter(Topics.GOCARDLESS_CREDITORS, "oauth-service"));
        var ingest = new WebhookIngestStandIn();
        var log = TraceLogCapture.start(Path.of("target", "secrets-never-leak-trace.log"))) {
      journey(kafka, ingest);
      log.close();
      records = kafka.received();

      // The access tokens GoCardless issued during the journey, as it sent them.
      List<String> issued =
          world.gocardless.relayed().stream()
              .skip(relayedBefore)
              .filter(r -> r.path().equals("/oauth/access_token") && r.status() == 200)
              .map(r -> mapper.readTree(r.responseBody()).get("access_token").asString())
              .toList();
      // Connected (A), disconnected by the team (B), and failed after the exchange (D).
      assertThat(issued).hasSize(3);
      issued.forEach(token -> secret("an access token", token));
      secret("the client secret", gocardlessProperties.clientSecret());
      key("the state-signing key", connectProperties.stateSigningKey());
      encryption.keys().forEach((id, key) -> key("token-encryption key " + id, key));

      // The capture saw the journey at TRACE (else searching it proves nothing).
      try (var lines = log.lines()) {
        assertThat(lines.filter(l -> l.startsWith("TRACE ")).limit(1)).isNotEmpty();
      }
      try (var lines = log.lines()) {
        assertThat(lines.filter(l -> l.contains("/oauth/callback")).limit(1)).isNotEmpty();
      }

      try (var lines = log.lines()) {
        assertThat(found(lines)).as("secrets in the log at TRACE").isEmpty();
      }
      // The callers' own credentials too: Tomcat logs raw request headers at DEBUG.
      try (var lines = log.lines()) {
        assertThat(lines.filter(JWT.asPredicate()).limit(3).toList())
            .as("bearer tokens in the log at TRACE")
            .isEmpty();
      }
    }
    assertThat(responses).hasSizeGreaterThan(10);
    assertThat(found(responses.stream())).as("secrets in responses").isEmpty();
    assertThat(records).isNotEmpty();
    assertThat(
            found(
                records.stream()
                    .map(r -> r.topic() + " " + r.key() + " " + r.headers() + " " + r.value())))
        .as("secrets on topics")
        .isEmpty();
    List<String> rows = databaseDump();
    assertThat(rows).anyMatch(row -> row.contains("disconnected_by_team"));
    assertThat(found(rows.stream())).as("secrets in the database").isEmpty();
  }

  private void journey(KafkaTestConsumer kafka, WebhookIngestStandIn ingest) {
    // A: connects; a service reads its token; its token is rotated; the merchant then revokes the
    // app at GoCardless.
    String a = connect("team-a");
    String tokenA = tokenEndpoint(a);
    assertThat(creditorsStatus(tokenA)).isEqualTo(200);
    var before = new TokenCipher(encryption.keys());
    jdbc.update(
        "update merchant_token set key_id = 'test-2025', ciphertext = ? where merchant_id = ?",
        before.encrypt("test-2025", tokenA, a),
        a);
    assertThat(rotation.rotate().rotated()).isPositive();
    assertThat(tokenEndpoint(a)).isEqualTo(tokenA);
    String organisationA = recordedView("team-a", a).get("organisationId").asString();
    assertThat(world.simulator.disconnect(organisationA)).isTrue();
    ingest.publish(
        WebhookIngestStandIn.awaitEvent(
            world.simulator,
            e ->
                "organisations".equals(e.get("resource_type").asString())
                    && organisationA.equals(e.get("links").get("organisation").asString())));
    awaitFact(kafka, a, "MerchantDisconnected");
    assertThat(recordedView("team-a", a).get("status").asString()).isEqualTo("disconnected");

    // B: connects, then its team disconnects it, which revokes the token at GoCardless.
    String b = connect("team-b");
    String tokenB = tokenEndpoint(b);
    var deleted = record(Http.delete(url("/merchants/" + b), world.teamToken("team-b")));
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(creditorsStatus(tokenB)).isEqualTo(401);
    awaitFact(kafka, b, "MerchantDisconnected");

    // C: GoCardless is down for the code exchange.
    var c = started("team-a");
    String callbackC = consent(c.get("authorisationUrl").asString(), null, true);
    code(callbackC);
    world.gocardless.down(true);
    try {
      assertThat(callback(callbackC)).containsEntry("reason", "gocardless_unavailable");
    } finally {
      world.gocardless.down(false);
    }

    // D: the exchange succeeds, then GoCardless fails for the creditor read and for the revoke of
    // the token it has just issued.
    var d = started("team-b");
    String callbackD = consent(d.get("authorisationUrl").asString(), null, true);
    code(callbackD);
    world.gocardless.downFor("/creditors", "/oauth/revoke");
    try {
      assertThat(callback(callbackD)).containsEntry("reason", "creditor_unavailable");
    } finally {
      world.gocardless.downFor();
    }
    record(Http.get(url("/merchants?limit=50"), world.teamToken("team-b")));
    record(
        Http.get(
            url("/internal/merchants/" + d.get("merchantId").asString() + "/access-token"),
            world.serviceToken("billing-service", true)));
  }

  /** Connects a new organisation through the API and the consent page; returns the merchant. */
  private String connect(String team) {
    var started = started(team);
    String merchantId = started.get("merchantId").asString();
    String callback = consent(started.get("authorisationUrl").asString(), null, true);
    code(callback);
    assertThat(callback(callback)).containsEntry("outcome", "connected");
    assertThat(recordedView(team, merchantId).get("status").asString()).isEqualTo("connected");
    return merchantId;
  }

  private JsonNode started(String team) {
    return record(startConnection(team, "{\"companyName\":\"Secret Keepers Ltd\"}")).json();
  }

  /** The code GoCardless put in its redirect to our callback. */
  private void code(String callback) {
    String code = Http.query(callback).get("code");
    assertThat(code).isNotBlank();
    secret("an authorisation code", code);
  }

  private Map<String, String> callback(String callback) {
    var back = record(Http.get(callback, null));
    assertThat(back.status()).as(back.body()).isEqualTo(303);
    return Http.query(back.location());
  }

  private JsonNode recordedView(String team, String merchantId) {
    return record(Http.get(url("/merchants/" + merchantId), world.teamToken(team))).json();
  }

  /** The internal token endpoint: its answer carries the token by design, so it is not searched. */
  private String tokenEndpoint(String merchantId) {
    var response =
        Http.get(
            url("/internal/merchants/" + merchantId + "/access-token"),
            world.serviceToken("billing-service", true));
    assertThat(response.status()).isEqualTo(200);
    return response.json().get("accessToken").asString();
  }

  private Http.Response record(Http.Response response) {
    responses.add(response.status() + " " + response.headers().map() + " " + response.body());
    return response;
  }

  private void secret(String what, String value) {
    assertThat(value).hasSizeGreaterThan(15);
    secrets.put(value, what);
    secrets.putIfAbsent(URLEncoder.encode(value, StandardCharsets.UTF_8), what + " (URL-encoded)");
  }

  /** A Base64 key: as configured, and its bytes as Base64url and hex. */
  private void key(String what, String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64.trim());
    secret(what, base64.trim());
    secret(
        what + " (Base64, unpadded)", Base64.getEncoder().withoutPadding().encodeToString(bytes));
    secret(what + " (Base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    secret(what + " (hex)", HexFormat.of().formatHex(bytes));
    secret(what + " (HEX)", HexFormat.of().withUpperCase().formatHex(bytes));
  }

  /** What is found where: "<kind of secret> in: <excerpt>". */
  private List<String> found(Stream<String> texts) {
    var found = new TreeSet<String>();
    texts.forEach(
        text -> {
          secrets.forEach(
              (secret, what) -> {
                int at = text.indexOf(secret);
                if (at >= 0) {
                  found.add(
                      what
                          + " in: "
                          + text.substring(
                              Math.max(0, at - 200),
                              Math.min(text.length(), at + secret.length() + 60)));
                }
              });
        });
    return List.copyOf(found);
  }

  /** Every row of every table of the service's database, as text. */
  private List<String> databaseDump() {
    List<String> tables =
        jdbc.queryForList(
            """
            select quote_ident(table_schema) || '.' || quote_ident(table_name)
            from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """,
            String.class);
    assertThat(tables).contains("public.merchant", "public.merchant_token");
    var rows = new ArrayList<String>();
    for (String table : tables) {
      rows.addAll(
          jdbc.queryForList("select t::text from " + table + " t", String.class).stream()
              .map(row -> table + " " + row)
              .toList());
    }
    return rows;
  }
}
