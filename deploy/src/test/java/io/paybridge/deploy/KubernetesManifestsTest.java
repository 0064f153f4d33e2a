package io.paybridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.deploy.Repository.Service;
import io.paybridge.platform.events.Topics;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Each overlay of deploy/k8s rendered by kustomize ({@code kubectl kustomize}, installed by .ci/run
 * when missing) and its manifests checked for what the platform promises. These checks are ours,
 * not the Kubernetes API server's: deploy/README.md says what is not validated here.
 */
class KubernetesManifestsTest {

  private static final Set<String> KNOWN_KINDS =
      Set.of(
          "v1/ConfigMap",
          "v1/Service",
          "apps/v1/Deployment",
          "policy/v1/PodDisruptionBudget",
          "autoscaling/v2/HorizontalPodAutoscaler",
          "networking.k8s.io/v1/NetworkPolicy",
          "kafka.strimzi.io/v1beta2/Kafka",
          "kafka.strimzi.io/v1beta2/KafkaNodePool",
          "kafka.strimzi.io/v1beta2/KafkaTopic",
          "monitoring.coreos.com/v1/ServiceMonitor",
          "monitoring.coreos.com/v1/PodMonitor",
          "monitoring.coreos.com/v1/PrometheusRule");

  private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

  private static final String IMAGE_USER =
      java.util.regex.Pattern.compile("<image.user>([0-9]+:[0-9]+)</image.user>")
          .matcher(Repository.read("pom.xml"))
          .results()
          .findFirst()
          .orElseThrow()
          .group(1);

  static List<JsonNode> render(String overlay) {
    return RENDERED.computeIfAbsent(
        overlay,
        o -> {
          try {
            var process =
                new ProcessBuilder("kubectl", "kustomize", "deploy/k8s/overlays/" + o)
                    .directory(Repository.ROOT.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out =
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + o).isZero();
            return Repository.yamlDocuments(out);
          } catch (IOException e) {
            throw new IllegalStateException(
                "kubectl is needed to render deploy/k8s (.ci/run installs it)", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asString().equals(kind)).toList();
  }

  private static JsonNode named(List<JsonNode> docs, String kind, String name) {
    return ofKind(docs, kind).stream()
        .filter(d -> d.path("metadata").path("name").asString().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** The first container's environment variables of a Deployment, by name. */
  private static Map<String, JsonNode> env(List<JsonNode> docs, String deployment) {
    Map<String, JsonNode> byName = new HashMap<>();
    named(docs, "Deployment", deployment)
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0)
        .path("env")
        .forEach(variable -> byName.put(variable.path("name").asString(), variable));
    return byName;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyManifestIsOfAKnownKindWithANameInTheNamespace(String overlay) {
    var docs = render(overlay);
    assertThat(docs).hasSizeGreaterThan(50);
    for (JsonNode doc : docs) {
      String kind = doc.path("apiVersion").asString() + "/" + doc.path("kind").asString();
      assertThat(KNOWN_KINDS).as("kind").contains(kind);
      assertThat(doc.path("metadata").path("name").asString())
          .as(kind)
          .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
      assertThat(doc.path("metadata").path("namespace").asString()).as(kind).isEqualTo("paybridge");
      assertThat(doc.has("spec") || doc.has("data")).as(kind).isTrue();
    }
    assertThat(ofKind(docs, "Secret")).as("secrets are referenced, never committed").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyManifestMatchesTheKubernetesAndPrometheusOperatorSchemas(String overlay) {
    assertThat(NodeChecks.problems(render(overlay), List.of())).isEmpty();
  }

  @Test
  void everyStrimziResourceIsReadByStrimzisModelWithNothingLeftOver() {
    var problems = new ArrayList<String>();
    render("production").stream()
        .filter(d -> d.path("apiVersion").asString().startsWith("kafka.strimzi.io/"))
        .forEach(d -> problems.addAll(StrimziModel.problems(d)));
    assertThat(problems).isEmpty();
    // The check can fail: a misspelt property and a value of the wrong type.
    var topic = ofKind(render("production"), "KafkaTopic").getFirst().deepCopy();
    ((tools.jackson.databind.node.ObjectNode) topic.path("spec")).put("replica", 3);
    assertThat(StrimziModel.problems(topic)).singleElement().asString().contains("replica");
    var kafka = named(render("production"), "Kafka", "paybridge").deepCopy();
    ((tools.jackson.databind.node.ObjectNode)
            kafka.path("spec").path("kafka").path("listeners").get(0))
        .put("port", "plain");
    assertThat(StrimziModel.problems(kafka)).isNotEmpty();
  }

  @Test
  void theSchemaCheckCanFail() {
    var broken =
        render("production").stream()
            .filter(d -> d.path("kind").asString().equals("Deployment"))
            .findFirst()
            .orElseThrow()
            .deepCopy();
    ((tools.jackson.databind.node.ObjectNode) broken.path("spec")).put("replicas", "three");
    assertThat(NodeChecks.problems(List.of(broken), List.of()))
        .singleElement()
        .asString()
        .contains("spec/replicas must be integer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyServiceRunsNonRootReadOnlyProbedOnItsManagementPort(String overlay) {
    var docs = render(overlay);
    for (Service service : Service.values()) {
      JsonNode deployment = named(docs, "Deployment", service.module);
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      JsonNode container = pod.path("containers").get(0);
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
      // The user the images are built with (root pom, image.user).
      assertThat(
              pod.path("securityContext").path("runAsUser").asInt()
                  + ":"
                  + pod.path("securityContext").path("runAsGroup").asInt())
          .isEqualTo(IMAGE_USER);
      assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
          .isTrue();
      assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true))
          .isFalse();
      assertThat(container.path("volumeMounts").toString()).contains("\"mountPath\":\"/tmp\"");
      // /tmp is an emptyDir (the root filesystem is read-only); production mounts more volumes.
      String tmpVolume = "";
      for (JsonNode mount : container.path("volumeMounts")) {
        if (mount.path("mountPath").asString().equals("/tmp")) {
          tmpVolume = mount.path("name").asString();
        }
      }
      boolean tmpIsEmptyDir = false;
      for (JsonNode volume : pod.path("volumes")) {
        tmpIsEmptyDir |= volume.path("name").asString().equals(tmpVolume) && volume.has("emptyDir");
      }
      assertThat(tmpIsEmptyDir).as(service.module + " /tmp").isTrue();
      var ports = new HashMap<String, Integer>();
      container
          .path("ports")
          .forEach(p -> ports.put(p.path("name").asString(), p.path("containerPort").asInt()));
      assertThat(ports)
          .containsEntry("http", service.port)
          .containsEntry("management", service.managementPort);
      assertThat(container.path("readinessProbe").path("httpGet").path("path").asString())
          .isEqualTo("/actuator/health/readiness");
      assertThat(container.path("livenessProbe").path("httpGet").path("path").asString())
          .isEqualTo("/actuator/health/liveness");
      assertThat(container.path("readinessProbe").path("httpGet").path("port").asString())
          .isEqualTo("management");
      assertThat(container.path("resources").path("requests").has("cpu")).isTrue();
      assertThat(container.path("resources").path("limits").has("memory")).isTrue();
      assertThat(pod.path("topologySpreadConstraints").size()).isGreaterThanOrEqualTo(1);
      // SIGTERM after the endpoints are gone; the relay (a late SmartLifecycle phase) then stops
      // before the web server, Kafka and the database, all within the grace period.
      assertThat(container.path("lifecycle").path("preStop").isMissingNode()).isFalse();
      assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(45);
      assertThat(container.path("env").toString())
          .contains("\"SERVER_PORT\"", "\"MANAGEMENT_SERVER_PORT\"");
      named(docs, "PodDisruptionBudget", service.module);
      JsonNode hpa = named(docs, "HorizontalPodAutoscaler", service.module);
      assertThat(hpa.path("spec").path("minReplicas").asInt())
          .isEqualTo(deployment.path("spec").path("replicas").asInt());
      JsonNode svc = named(docs, "Service", service.module);
      assertThat(svc.path("spec").path("type").asString("ClusterIP")).isEqualTo("ClusterIP");
    }
  }

  @Test
  void productionRunsThreeReplicasOfEveryServiceFromTheReleaseRegistry() {
    for (Service service : Service.values()) {
      JsonNode deployment = named(render("production"), "Deployment", service.module);
      assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(3);
      assertThat(
              deployment
                  .path("spec")
                  .path("template")
                  .path("spec")
                  .path("containers")
                  .get(0)
                  .path("image")
                  .asString())
          .endsWith("/paybridge/" + service.module + ":0.1.0");
    }
    assertThat(render("production").toString()).doesNotContain("gocardless-simulator");
    assertThat(render("local").toString()).contains("gocardless-simulator");
  }

  /** The services that call GoCardless or receive its webhooks (docs/go-live.md). */
  private static final List<Service> GOCARDLESS_SERVICES =
      List.of(Service.OAUTH, Service.BILLING, Service.WEBHOOK_INGEST);

  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void oneSettingChoosesGoCardlessForEveryServiceThatTalksToIt(String overlay) {
    var docs = render(overlay);
    JsonNode platform = named(docs, "ConfigMap", "paybridge-platform").path("data");
    assertThat(platform.path("gocardless-environment").asString())
        .isEqualTo(overlay.equals("production") ? "live" : "simulator");
    for (Service service : GOCARDLESS_SERVICES) {
      Map<String, JsonNode> byName = env(docs, service.module);
      assertThat(
              byName
                  .get("PAYBRIDGE_GOCARDLESS_ENVIRONMENT")
                  .path("valueFrom")
                  .path("configMapKeyRef")
                  .path("key")
                  .asString())
          .as(service.module)
          .isEqualTo("gocardless-environment");
      // Explicit GoCardless URLs only from optional ConfigMap keys (the simulator's), and none by
      // a service's own name that would bypass the setting.
      byName.forEach(
          (name, variable) -> {
            if (name.startsWith("PAYBRIDGE_GOCARDLESS_") && name.endsWith("_URL")) {
              JsonNode ref = variable.path("valueFrom").path("configMapKeyRef");
              assertThat(ref.path("optional").asBoolean()).as(service.module + " " + name).isTrue();
            }
          });
      assertThat(byName.keySet())
          .as(service.module)
          .noneMatch(name -> name.matches("PAYBRIDGE_OAUTH_GOCARDLESS_.*_URL"))
          .doesNotContain("PAYBRIDGE_GOCARDLESS_BASE_URL");
    }
    List<String> explicitUrls = new ArrayList<>();
    platform
        .properties()
        .forEach(
            entry -> {
              if (entry.getKey().matches("gocardless-.*-url")) {
                explicitUrls.add(entry.getKey());
              }
            });
    if (overlay.equals("production")) {
      // GoCardless's own live URLs, from the setting; nothing to override them.
      assertThat(explicitUrls).isEmpty();
      for (String key : List.of("issuer-uri", "token-uri", "oauth-redirect-uri")) {
        assertThat(platform.path(key).asString()).as(key).startsWith("https://");
        assertThat(platform.path(key).asString()).as(key).doesNotContain("localhost", "127.0.0.1");
      }
    } else {
      assertThat(explicitUrls)
          .containsExactlyInAnyOrder(
              "gocardless-api-url", "gocardless-connect-url", "gocardless-verify-url");
      assertThat(platform.path("gocardless-api-url").asString())
          .isEqualTo("http://gocardless-simulator:8089");
    }
  }

  /**
   * Production encrypts and verifies every connection to PostgreSQL and Kafka (overlays/production
   * tls.yaml): the JDBC URL asks for {@code sslmode=verify-full} with a CA file the pod mounts from
   * a Secret, Kafka clients speak SSL with a trust store the pod mounts, and every listener of the
   * Kafka cluster, including the one the bootstrap address names, is TLS. The local overlay keeps
   * plaintext (embedded or in-cluster test infrastructure).
   */
  @Test
  void productionTurnsOnVerifiedTlsToPostgresAndKafka() {
    var docs = render("production");
    for (Service service : Service.values()) {
      if (service.database == null) {
        continue;
      }
      JsonNode pod =
          named(docs, "Deployment", service.module).path("spec").path("template").path("spec");
      JsonNode container = pod.path("containers").get(0);
      Map<String, String> env = new HashMap<>();
      container
          .path("env")
          .forEach(v -> env.put(v.path("name").asString(), v.path("value").asString()));
      Map<String, String> mounted = new HashMap<>(); // file path -> secret name
      container
          .path("volumeMounts")
          .forEach(
              mount -> {
                String volumeName = mount.path("name").asString();
                pod.path("volumes")
                    .forEach(
                        volume -> {
                          if (volume.path("name").asString().equals(volumeName)) {
                            volume
                                .path("projected")
                                .path("sources")
                                .forEach(
                                    source ->
                                        source
                                            .path("secret")
                                            .path("items")
                                            .forEach(
                                                item ->
                                                    mounted.put(
                                                        mount.path("mountPath").asString()
                                                            + "/"
                                                            + item.path("path").asString(),
                                                        source
                                                            .path("secret")
                                                            .path("name")
                                                            .asString())));
                          }
                        });
              });

      String url = env.get("SPRING_DATASOURCE_URL");
      assertThat(url)
          .as(service.module)
          .contains("/" + service.database + "?", "sslmode=verify-full");
      String rootCert = url.replaceAll(".*[?&]sslrootcert=([^&]+).*", "$1");
      assertThat(mounted)
          .as(service.module + " mounts the database CA")
          .containsEntry(rootCert, "postgres-ca");

      assertThat(env.get("SPRING_KAFKA_SECURITY_PROTOCOL")).as(service.module).isEqualTo("SSL");
      assertThat(env.get("SPRING_KAFKA_SSL_TRUST_STORE_TYPE")).as(service.module).isEqualTo("PEM");
      assertThat(env.get("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION"))
          .as(service.module)
          .startsWith("file:");
      assertThat(mounted)
          .as(service.module + " mounts Strimzi's cluster CA")
          .containsEntry(
              env.get("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION").substring("file:".length()),
              "paybridge-cluster-ca-cert");
    }
    String bootstrap =
        named(docs, "ConfigMap", "paybridge-platform")
            .path("data")
            .path("kafka-bootstrap-servers")
            .asString();
    JsonNode listeners =
        named(docs, "Kafka", "paybridge").path("spec").path("kafka").path("listeners");
    assertThat(listeners.size()).isPositive();
    listeners.forEach(
        listener ->
            assertThat(listener.path("tls").asBoolean())
                .as("Kafka listener " + listener.path("name").asString())
                .isTrue());
    List<String> ports = new ArrayList<>();
    listeners.forEach(listener -> ports.add(listener.path("port").asString()));
    assertThat(ports).contains(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));

    assertThat(render("local").toString())
        .doesNotContain("sslmode", "SPRING_KAFKA_SECURITY_PROTOCOL");
  }

  @Test
  void onlyTheGatewayIsReachableFromOutsideAndServicesReachWhatTheArchitectureSays() {
    var docs = render("production");
    JsonNode deny = named(docs, "NetworkPolicy", "default-deny");
    assertThat(deny.path("spec").path("podSelector").size()).isZero();
    assertThat(deny.path("spec").path("ingress").size()).isZero();
    for (JsonNode policy : ofKind(docs, "NetworkPolicy")) {
      for (JsonNode rule : policy.path("spec").path("ingress")) {
        boolean fromAnywhere = !rule.has("from");
        if (fromAnywhere) {
          assertThat(policy.path("metadata").path("name").asString()).isEqualTo("gateway-service");
          assertThat(rule.path("ports").size()).isEqualTo(1);
          assertThat(rule.path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        }
      }
    }
    // webhook-ingest: only through the gateway (its egress: below, as billing-service's).
    JsonNode webhook = named(docs, "NetworkPolicy", "webhook-ingest-service");
    assertThat(webhook.path("spec").path("ingress").get(0).toString())
        .contains("gateway-service")
        .doesNotContain("billing-service");
    // billing-service calls oauth-service's internal token endpoint; oauth-service accepts it.
    assertThat(
            named(docs, "NetworkPolicy", "billing-service").path("spec").path("egress").toString())
        .contains("oauth-service");
    assertThat(
            named(docs, "NetworkPolicy", "oauth-service").path("spec").path("ingress").toString())
        .contains("billing-service");
    for (Service service : Service.values()) {
      JsonNode policy = named(docs, "NetworkPolicy", service.module);
      String egress = policy.path("spec").path("egress").toString();
      if (service.database != null) {
        assertThat(egress).contains("5432", "9092");
      } else {
        assertThat(egress).doesNotContain("5432", "9092");
      }
      // Prometheus reaches the management port.
      assertThat(policy.path("spec").path("ingress").toString())
          .contains("" + service.managementPort);
    }
  }

  /**
   * Every service with Kafka listeners (all but the gateway, which keeps no state) names its
   * consumers after its pod ({@code paybridge.consumer.instance-id}, platform/outbox): unique among
   * the replicas, kept when the pod's container restarts after a crash.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void everyServiceWithListenersNamesItsConsumersAfterItsPod(String overlay) {
    var docs = render(overlay);
    for (Service service : Service.values()) {
      JsonNode instanceId = env(docs, service.module).get("PAYBRIDGE_CONSUMER_INSTANCE_ID");
      if (service == Service.GATEWAY) {
        assertThat(instanceId).as(service.module).isNull();
        continue;
      }
      assertThat(instanceId).as(service.module).isNotNull();
      assertThat(instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asString())
          .as(service.module)
          .isEqualTo("metadata.name");
    }
  }

  /**
   * Recovery of missed events (webhook-ingest-service README) is on wherever PayBridge is deployed:
   * the settings RecoveryEnvironment reads, the IdP's from the shared ConfigMap, the client secret
   * from a Secret, oauth-service at its Service's port.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void recoveryOfMissedEventsIsOnWithItsClientSecretFromASecret(String overlay) {
    var docs = render(overlay);
    Map<String, JsonNode> env = env(docs, Service.WEBHOOK_INGEST.module);
    assertThat(env.get("PAYBRIDGE_RECOVERY_ENABLED").path("value").asString()).isEqualTo("true");
    JsonNode secret = env.get("PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET");
    assertThat(secret.has("value")).as("a literal client secret").isFalse();
    JsonNode secretRef = secret.path("valueFrom").path("secretKeyRef");
    assertThat(secretRef.path("name").asString()).isEqualTo("webhook-ingest-service-secrets");
    assertThat(secretRef.path("key").asString())
        .isEqualTo("PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET");
    assertThat(secretRef.path("optional").asBoolean(false)).isFalse();
    JsonNode platform = named(docs, "ConfigMap", "paybridge-platform").path("data");
    for (var setting :
        Map.of("PAYBRIDGE_TOKEN_URI", "token-uri", "PAYBRIDGE_ISSUER_URI", "issuer-uri")
            .entrySet()) {
      JsonNode ref = env.get(setting.getKey()).path("valueFrom").path("configMapKeyRef");
      assertThat(ref.path("name").asString()).isEqualTo("paybridge-platform");
      assertThat(ref.path("key").asString()).isEqualTo(setting.getValue());
      assertThat(platform.path(setting.getValue()).asString()).as(setting.getValue()).isNotBlank();
    }
    // The same IdP settings billing-service uses for the same token endpoint.
    Map<String, JsonNode> billing = env(docs, Service.BILLING.module);
    assertThat(env.get("PAYBRIDGE_TOKEN_URI")).isEqualTo(billing.get("PAYBRIDGE_TOKEN_URI"));
    assertThat(env.get("PAYBRIDGE_OAUTH_SERVICE_URL"))
        .isEqualTo(billing.get("PAYBRIDGE_OAUTH_SERVICE_URL"));
    int oauthPort = -1;
    for (JsonNode port : named(docs, "Service", Service.OAUTH.module).path("spec").path("ports")) {
      if (port.path("name").asString().equals("http")) {
        oauthPort = port.path("port").asInt();
      }
    }
    assertThat(env.get("PAYBRIDGE_OAUTH_SERVICE_URL").path("value").asString())
        .isEqualTo("http://" + Service.OAUTH.module + ":" + oauthPort);
  }

  /**
   * The gateway presents an operator token to webhook-ingest-service (which takes its own operator
   * tokens, not JWTs) for the operator joins: both read it from one Secret, so they always match,
   * and neither writes it in a manifest.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void theGatewaysOperatorTokenAtWebhookIngestComesFromOneSecretOnBothSides(String overlay) {
    var docs = render(overlay);
    JsonNode gateway =
        env(docs, Service.GATEWAY.module).get("PAYBRIDGE_OPERATIONS_WEBHOOK_INGEST_TOKEN");
    JsonNode ingest =
        env(docs, Service.WEBHOOK_INGEST.module)
            .get("PAYBRIDGE_WEBHOOKS_OPERATIONS_OPERATORS_GATEWAY");
    for (JsonNode side : List.of(gateway, ingest)) {
      assertThat(side).isNotNull();
      assertThat(side.has("value")).as("a literal token").isFalse();
      JsonNode ref = side.path("valueFrom").path("secretKeyRef");
      assertThat(ref.path("name").asString()).isEqualTo("webhook-ingest-operator-token");
      assertThat(ref.path("key").asString()).isEqualTo("token");
      assertThat(ref.path("optional").asBoolean(false)).isFalse();
    }
  }

  /** No Deployment carries a secret-looking variable as a literal: each comes from a Secret. */
  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void noSecretIsWrittenInAManifest(String overlay) {
    var docs = render(overlay);
    for (JsonNode deployment : ofKind(docs, "Deployment")) {
      String name = deployment.path("metadata").path("name").asString();
      env(docs, name)
          .forEach(
              (variable, value) -> {
                if (variable.matches(".*(PASSWORD|SECRET|SECRETS|_KEY|KEYS_.*)")
                    && !variable.endsWith("_KEY_ID")) {
                  assertThat(value.has("value")).as(name + " " + variable).isFalse();
                  assertThat(value.path("valueFrom").has("secretKeyRef"))
                      .as(name + " " + variable)
                      .isTrue();
                }
              });
    }
  }

  /**
   * webhook-ingest-service's recovery reaches oauth-service's API port, the IdP and GoCardless
   * (HTTPS to public addresses) by rules that billing-service has too, and nothing billing-service
   * may not reach; oauth-service (and in the local overlay the simulator) admits it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local", "production"})
  void recoveryReachesOauthServiceTheIdpAndGoCardlessNoWiderThanBillingService(String overlay) {
    var docs = render(overlay);
    List<JsonNode> webhook = new ArrayList<>();
    named(docs, "NetworkPolicy", Service.WEBHOOK_INGEST.module)
        .path("spec")
        .path("egress")
        .forEach(webhook::add);
    List<JsonNode> billing = new ArrayList<>();
    named(docs, "NetworkPolicy", Service.BILLING.module)
        .path("spec")
        .path("egress")
        .forEach(billing::add);
    assertThat(billing).containsAll(webhook);
    JsonNode toOauth = null;
    JsonNode toInternet = null;
    for (JsonNode rule : webhook) {
      String to = rule.path("to").toString();
      if (to.contains("\"app.kubernetes.io/name\":\"oauth-service\"")) {
        toOauth = rule;
      }
      if (rule.path("to").get(0).has("ipBlock")) {
        toInternet = rule;
      }
    }
    assertThat(toOauth).as("egress to oauth-service").isNotNull();
    assertThat(toOauth.path("ports").size()).isEqualTo(1);
    assertThat(toOauth.path("ports").get(0).path("port").asInt()).isEqualTo(Service.OAUTH.port);
    assertThat(toInternet).as("egress to the IdP and GoCardless").isNotNull();
    assertThat(toInternet.path("ports").size()).isEqualTo(1);
    assertThat(toInternet.path("ports").get(0).path("port").asInt()).isEqualTo(443);
    assertThat(toInternet.path("ports").get(0).path("protocol").asString()).isEqualTo("TCP");
    assertThat(toInternet.path("to").get(0).path("ipBlock").path("except").toString())
        .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
    // oauth-service admits it on its API port.
    boolean admitted = false;
    for (JsonNode rule :
        named(docs, "NetworkPolicy", Service.OAUTH.module).path("spec").path("ingress")) {
      admitted |=
          rule.path("from").toString().contains(Service.WEBHOOK_INGEST.module)
              && rule.path("ports").toString().contains("" + Service.OAUTH.port);
    }
    assertThat(admitted).as("oauth-service admits webhook-ingest-service").isTrue();
    if (overlay.equals("local")) {
      assertThat(
              named(docs, "NetworkPolicy", "gocardless-simulator")
                  .path("spec")
                  .path("ingress")
                  .toString())
          .contains(Service.WEBHOOK_INGEST.module, Service.BILLING.module);
    }
  }

  @Test
  void everyTopicAndDeadLetterTopicIsAStrimziTopicWithReplicationThreeAndMinIsrTwo()
      throws IllegalAccessException {
    var docs = render("production");
    var topics = new HashMap<String, JsonNode>();
    for (JsonNode topic : ofKind(docs, "KafkaTopic")) {
      topics.put(topic.path("spec").path("topicName").asString(), topic);
      assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asString())
          .isEqualTo("paybridge");
      assertThat(topic.path("spec").path("replicas").asInt()).isEqualTo(3);
      assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt())
          .isEqualTo(2);
      assertThat(topic.path("spec").path("config").has("retention.ms")).isTrue();
    }
    var expected = new HashSet<String>();
    for (Field field : Topics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && !field.getName().endsWith("_PREFIX")) {
        expected.add((String) field.get(null));
      }
    }
    expected.addAll(
        List.of("billing.subscription", "billing.refund", "billing.instalment-schedule"));
    var consumed =
        Map.of(
            "oauth-service",
            List.of(Topics.GOCARDLESS_ORGANISATIONS, Topics.GOCARDLESS_CREDITORS),
            "billing-service",
            List.of(
                Topics.GOCARDLESS_BILLING_REQUESTS,
                Topics.GOCARDLESS_MANDATES,
                Topics.GOCARDLESS_PAYMENTS,
                Topics.GOCARDLESS_REFUNDS,
                Topics.GOCARDLESS_SUBSCRIPTIONS,
                Topics.GOCARDLESS_INSTALMENT_SCHEDULES,
                Topics.MERCHANTS_CONNECTION,
                Topics.PAYERS_ERASURE),
            "notification-service",
            List.of(
                Topics.MERCHANTS_CONNECTION,
                Topics.BILLING_BILLING_REQUEST,
                Topics.BILLING_MANDATE,
                Topics.BILLING_PAYMENT,
                "billing.subscription",
                "billing.refund",
                "billing.instalment-schedule",
                Topics.PAYERS_ERASURE),
            "webhook-ingest-service",
            // recovery of missed events learns the connected organisations
            List.of(Topics.PAYERS_ERASURE, Topics.MERCHANTS_CONNECTION));
    var deadLetters = new ArrayList<String>();
    consumed.forEach(
        (group, sources) -> sources.forEach(t -> deadLetters.add(Topics.deadLetter(t, group))));
    expected.addAll(deadLetters);
    for (Service service : Service.values()) {
      if (service.database != null) {
        expected.add(Topics.outboxOffsets(service.module));
      }
    }
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    for (String deadLetter : deadLetters) {
      String source = deadLetter.substring(0, deadLetter.indexOf('.', deadLetter.indexOf('.') + 1));
      assertThat(topics.get(deadLetter).path("spec").path("partitions").asInt())
          .as(deadLetter)
          .isEqualTo(topics.get(source).path("spec").path("partitions").asInt());
    }
    for (Service service : Service.values()) {
      if (service.database != null) {
        JsonNode offsets = topics.get(Topics.outboxOffsets(service.module));
        assertThat(offsets.path("spec").path("partitions").asInt()).isEqualTo(1);
        assertThat(offsets.path("spec").path("config").path("cleanup.policy").asString())
            .isEqualTo("compact");
      }
    }
    JsonNode kafka = named(docs, "Kafka", "paybridge");
    JsonNode config = kafka.path("spec").path("kafka").path("config");
    assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
    assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
    assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();
    assertThat(named(docs, "KafkaNodePool", "combined").path("spec").path("replicas").asInt())
        .isEqualTo(3);
  }

  @Test
  void prometheusScrapesEveryServiceAndCarriesTheAlertRules() {
    var docs = render("production");
    JsonNode monitor = named(docs, "ServiceMonitor", "paybridge");
    assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asString())
        .isEqualTo("management");
    String partOf =
        monitor
            .path("spec")
            .path("selector")
            .path("matchLabels")
            .path("app.kubernetes.io/part-of")
            .asString();
    for (Service service : Service.values()) {
      assertThat(
              named(docs, "Service", service.module)
                  .path("metadata")
                  .path("labels")
                  .path("app.kubernetes.io/part-of")
                  .asString())
          .isEqualTo(partOf);
    }
    JsonNode rule = named(docs, "PrometheusRule", "paybridge");
    JsonNode file = Repository.yaml("deploy/monitoring/prometheus/rules/paybridge-alerts.yml");
    assertThat(rule.path("spec").path("groups")).isEqualTo(file.path("groups"));
  }
}
