package io.paybridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.deploy.Repository.Service;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The images' configuration as Jib will read it (root pom and the simulator's pom). No image is
 * built here: that needs a registry to pull the base image from (deploy/README.md).
 */
class ContainerImageTest {

  private static final String JIB =
      "/project/build/pluginManagement/plugins/plugin[artifactId='jib-maven-plugin']";

  private final Document root = pom("pom.xml");

  @Test
  void imagesAreNeverBuiltByTheDefaultLifecycle() {
    assertThat(text(root, JIB + "/executions")).isEmpty();
    assertThat(text(root, "/project/properties/jib.skip")).isEqualTo("true");
    assertThat(text(root, "//profile[id='container-image']/properties/jib.skip"))
        .isEqualTo("false");
    assertThat(text(root, "//profile[id='container-image']/activation/file/exists"))
        .isEqualTo("${basedir}/src/main/resources/application.yml");
  }

  @Test
  void runsAsANonRootUserOnAJdk25RuntimeBase() {
    assertThat(text(root, JIB + "/configuration/from/image")).isEqualTo("${image.base}");
    assertThat(property("image.base")).matches("eclipse-temurin:25(\\.[0-9.+_]+)?-jre.*");
    assertThat(text(root, JIB + "/configuration/container/user")).isEqualTo("${image.user}");
    String user = property("image.user");
    assertThat(user).matches("[0-9]+:[0-9]+");
    // Kubernetes' runAsNonRoot needs a numeric user other than 0 (deploy/k8s runs as this one).
    assertThat(user.split(":")).allSatisfy(id -> assertThat(Integer.parseInt(id)).isPositive());
  }

  @Test
  void coordinatesAndTagAreProperties() {
    assertThat(text(root, JIB + "/configuration/to/image"))
        .isEqualTo("${image.registry}/${image.repository}/${project.artifactId}:${image.tag}");
    for (String p : List.of("image.registry", "image.repository", "image.tag", "image.revision")) {
      assertThat(property(p)).as(p).isNotBlank();
    }
    assertThat(
            text(root, JIB + "/configuration/container/labels/org.opencontainers.image.revision"))
        .isEqualTo("${image.revision}");
  }

  @Test
  void theEntrypointRunsTheJvmWithBoundedHeapAndTmpAsItsOnlyWritableDirectory() {
    assertThat(text(root, JIB + "/configuration/container/format")).isEqualTo("OCI");
    // No entrypoint of our own: Jib's (java <jvmFlags> -cp <layers> <main class>) keeps the layers.
    assertThat(text(root, JIB + "/configuration/container/entrypoint")).isEmpty();
    assertThat(texts(root, JIB + "/configuration/container/jvmFlags/jvmFlag"))
        .contains(
            "-XX:MaxRAMPercentage=75",
            "-XX:MaxTenuringThreshold=3",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.io.tmpdir=/tmp");
  }

  @Test
  void everyServiceExposesItsPortAndItsManagementPort() {
    assertThat(texts(root, JIB + "/configuration/container/ports/port"))
        .containsExactly("${image.port}", "${image.management.port}");
    var built = new ArrayList<String>();
    for (Service service : Service.values()) {
      String profile = "//profile[id='image-ports-" + service.module + "']";
      assertThat(text(root, profile + "/activation/file/exists"))
          .isEqualTo("${basedir}/src/main/java/io/paybridge/" + service.javaPackage);
      assertThat(text(root, profile + "/properties/image.port")).isEqualTo("" + service.port);
      assertThat(text(root, profile + "/properties/image.management.port"))
          .isEqualTo("" + service.managementPort);
      if (service.built()) {
        built.add(service.module);
        assertThat(
                Repository.ROOT
                    .resolve(service.module)
                    .resolve("src/main/java/io/paybridge/")
                    .resolve(service.javaPackage))
            .isDirectory();
      }
    }
    // Every Spring Boot module gets an image (the profile's activation), and so its ports.
    assertThat(built).containsExactlyInAnyOrderElementsOf(Repository.serviceModules());
    // The package that activates a service's ports exists in no other module.
    for (String module : Repository.modules()) {
      for (Service service : Service.values()) {
        if (!module.equals(service.module)) {
          assertThat(
                  Files.exists(
                      Repository.ROOT
                          .resolve(module)
                          .resolve("src/main/java/io/paybridge/" + service.javaPackage)))
              .as(module + " has " + service.javaPackage)
              .isFalse();
        }
      }
    }
  }

  @Test
  void theSimulatorHasAnImageListeningOnAllInterfaces() {
    Document simulator = pom(Repository.SIMULATOR + "/pom.xml");
    String jib = "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";
    assertThat(text(simulator, "/project/properties/jib.skip")).isEqualTo("false");
    assertThat(text(simulator, jib + "/container/mainClass")).isEqualTo("${simulator.main.class}");
    assertThat(texts(simulator, jib + "/container/ports/port"))
        .containsExactly("" + Repository.SIMULATOR_PORT);
    assertThat(text(simulator, jib + "/container/environment/SIMULATOR_HOST")).isEqualTo("0.0.0.0");
  }

  private String property(String name) {
    return text(root, "/project/properties/" + name);
  }

  private static Document pom(String path) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      return factory.newDocumentBuilder().parse(Repository.ROOT.resolve(path).toFile());
    } catch (Exception e) {
      throw new IllegalStateException(path, e);
    }
  }

  private static String text(Document document, String xpath) {
    return texts(document, xpath).stream().findFirst().orElse("");
  }

  private static List<String> texts(Document document, String xpath) {
    try {
      var nodes =
          (NodeList)
              XPathFactory.newInstance()
                  .newXPath()
                  .evaluate(xpath, document, XPathConstants.NODESET);
      var result = new ArrayList<String>();
      for (int i = 0; i < nodes.getLength(); i++) {
        Node node = nodes.item(i);
        result.add(node.getTextContent().trim());
      }
      return result;
    } catch (Exception e) {
      throw new IllegalStateException(xpath, e);
    }
  }
}
