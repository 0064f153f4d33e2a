package io.paybridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone configuration: arguments over environment over the properties file. */
class StandaloneConfigTest {

  @Test
  void readsArgumentsEnvironmentAndFileInThatOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("simulator.properties");
    Files.writeString(
        file,
        """
        simulator.port=9001
        simulator.client-id=file-client
        simulator.webhook-url=http://file/hooks
        simulator.rate-limit=10
        simulator.organisations=OR0000FILE0001|CR0000FILE0001|File Shop|in_review|sandbox_file
        """);
    SimulatorSettings s =
        new StandaloneConfig(
                new String[] {"--config=" + file, "--port=9002"},
                Map.of(
                    "SIMULATOR_CLIENT_ID", "env-client",
                    "SIMULATOR_WEBHOOK_RETRY_DELAYS", "500ms,2s,PT1M",
                    "SIMULATOR_STATIC_TOKENS", "tok1=OR0000FILE0001"))
            .settings();
    assertThat(s.port()).isEqualTo(9002);
    assertThat(s.partnerApp().clientId()).isEqualTo("env-client");
    assertThat(s.partnerApp().clientSecret()).isEqualTo(SimulatorSettings.DEFAULT_CLIENT_SECRET);
    assertThat(s.webhookUrl()).isEqualTo("http://file/hooks");
    assertThat(s.webhookSecret()).isEqualTo(SimulatorSettings.DEFAULT_WEBHOOK_SECRET);
    assertThat(s.rateLimit()).isEqualTo(10);
    assertThat(s.webhookRetryDelays())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(1));
    assertThat(s.organisations())
        .containsExactly(
            new SimulatorSettings.SeedOrganisation(
                "OR0000FILE0001",
                "File Shop",
                "CR0000FILE0001",
                "in_review",
                "sandbox_file",
                true));
    assertThat(s.staticTokens()).containsEntry("tok1", "OR0000FILE0001");
  }

  @Test
  void defaultsListenOn8089WithTheDefaultSeed() throws Exception {
    SimulatorSettings s = new StandaloneConfig(new String[0], Map.of()).settings();
    assertThat(s.port()).isEqualTo(8089);
    assertThat(s.organisations())
        .extracting(SimulatorSettings.SeedOrganisation::organisationId)
        .isEqualTo(List.of("OR0000SIMACME1", "OR0000SIMBETA2", "OR0000SIMGAMA3"));
  }
}
