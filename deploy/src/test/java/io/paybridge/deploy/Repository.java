package io.paybridge.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The repository as the deployment artefacts see it: its root, its modules and its services. */
final class Repository {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final YAMLMapper YAML = new YAMLMapper();

  /**
   * Every PayBridge service with the ports of docs (shared contract, local-stack): its API port and
   * Actuator's management port (API port + 1000). A service whose module is not in the build yet
   * (its branch not merged) is still expected by the artefacts; {@link #built()} tells which are.
   */
  enum Service {
    GATEWAY("gateway-service", "gateway", 8080, null),
    OAUTH("oauth-service", "oauth", 8081, "oauth_service"),
    WEBHOOK_INGEST("webhook-ingest-service", "webhookingest", 8082, "webhook_ingest_service"),
    BILLING("billing-service", "billing", 8083, "billing_service"),
    NOTIFICATION("notification-service", "notification", 8084, "notification_service");

    final String module;
    final String javaPackage;
    final int port;
    final int managementPort;

    /** Its database (and user) name; null for the gateway, which keeps no state of its own. */
    final String database;

    Service(String module, String javaPackage, int port, String database) {
      this.module = module;
      this.javaPackage = javaPackage;
      this.port = port;
      this.managementPort = port + 1000;
      this.database = database;
    }

    boolean built() {
      return modules().contains(module);
    }
  }

  static final String SIMULATOR = "gocardless-simulator";
  static final int SIMULATOR_PORT = 8089;

  private Repository() {}

  /** The modules of the root pom, as written there. */
  static List<String> modules() {
    var matcher = Pattern.compile("<module>([^<]+)</module>").matcher(read("pom.xml"));
    return matcher.results().map(m -> m.group(1)).toList();
  }

  /** The modules that are Spring Boot services: those with their own application.yml. */
  static List<String> serviceModules() {
    return modules().stream()
        .filter(m -> Files.exists(ROOT.resolve(m).resolve("src/main/resources/application.yml")))
        .toList();
  }

  static String read(String path) {
    try {
      return Files.readString(ROOT.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String path) {
    return YAML.readTree(read(path));
  }

  static List<JsonNode> yamlDocuments(String text) {
    try (var parser = YAML.createParser(text)) {
      return YAML.readValues(parser, JsonNode.class).readAll().stream()
          .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
          .toList();
    }
  }

  static Stream<Path> files(String directory, String suffix) {
    try {
      return Files.walk(ROOT.resolve(directory))
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
