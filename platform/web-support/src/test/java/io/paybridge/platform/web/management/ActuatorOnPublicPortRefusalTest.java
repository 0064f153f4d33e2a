package io.paybridge.platform.web.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A servlet application with actuator starts only with actuator on a port of its own. */
class ActuatorOnPublicPortRefusalTest {

  @Test
  void refusesActuatorOnThePublicPort() {
    assertThatThrownBy(() -> start("--server.port=0").close())
        .hasStackTraceContaining("Actuator would answer on the service's public port");
  }

  @Test
  void startsWithAManagementPortOfItsOwnOrWithoutActuatorOverHttp() {
    try (var context = start("--server.port=0", "--management.server.port=0")) {
      assertThat(context.getEnvironment().getProperty("local.management.port")).isNotBlank();
    }
    try (var context = start("--server.port=0", "--management.server.port=-1")) {
      assertThat(context.isRunning()).isTrue();
    }
  }

  private static org.springframework.context.ConfigurableApplicationContext start(String... args) {
    return new SpringApplicationBuilder(App.class)
        .properties("paybridge.security.jwt.enabled=false")
        .run(args);
  }

  /** Auto-configuration only: a component scan would pick this package's configurations up. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
