package io.paybridge.platform.web.gocardless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The one GoCardless setting and the live refusals, on real Spring applications: each refusal is an
 * application that does not start, with the reason in its failure and no secret value.
 */
class LiveConfigurationTest {

  private static final String SECRET = randomSecret();
  private static final String KEY = randomSecret();

  @Test
  void liveConfigurationStartsWithGoCardlessLiveUrls() {
    try (var context = start(live())) {
      var environment = context.getEnvironment();
      assertThat(environment.getProperty("paybridge.gocardless.api-url"))
          .isEqualTo("https://api.gocardless.com");
      assertThat(environment.getProperty("paybridge.gocardless.connect-url"))
          .isEqualTo("https://connect.gocardless.com");
      assertThat(environment.getProperty("paybridge.gocardless.verify-url"))
          .isEqualTo("https://verify.gocardless.com");
    }
  }

  @Test
  void theEnvironmentsUrlsAreGoCardlessOwn() {
    // docs/gocardless/API.md §1.1
    assertThat(GoCardlessEnvironment.LIVE.authorizeUrl())
        .hasToString("https://connect.gocardless.com/oauth/authorize");
    assertThat(GoCardlessEnvironment.LIVE.tokenUrl())
        .hasToString("https://connect.gocardless.com/oauth/access_token");
    assertThat(GoCardlessEnvironment.SANDBOX.authorizeUrl())
        .hasToString("https://connect-sandbox.gocardless.com/oauth/authorize");
    assertThat(GoCardlessEnvironment.SANDBOX.tokenUrl())
        .hasToString("https://connect-sandbox.gocardless.com/oauth/access_token");
    assertThat(GoCardlessEnvironment.SANDBOX.apiUrl())
        .hasToString("https://api-sandbox.gocardless.com");
    assertThat(GoCardlessEnvironment.SIMULATOR.apiUrl()).isNull();
  }

  @Test
  void withoutTheSettingItIsTheSandbox() {
    try (var context = start(Map.of())) {
      assertThat(context.getEnvironment().getProperty("paybridge.gocardless.api-url"))
          .isEqualTo("https://api-sandbox.gocardless.com");
      assertThat(context.getEnvironment().getProperty("paybridge.gocardless.connect-url"))
          .isEqualTo("https://connect-sandbox.gocardless.com");
    }
  }

  @Test
  void theSimulatorHasNoUrlsOfItsOwnAndExplicitOnesWin() {
    try (var context =
        start(
            Map.of(
                "paybridge.gocardless.environment", "simulator",
                "paybridge.gocardless.api-url", "http://127.0.0.1:8089"))) {
      assertThat(context.getEnvironment().getProperty("paybridge.gocardless.api-url"))
          .isEqualTo("http://127.0.0.1:8089");
      assertThat(context.getEnvironment().getProperty("paybridge.gocardless.connect-url")).isNull();
    }
  }

  @Test
  void anUnknownEnvironmentDoesNotStart() {
    assertThatThrownBy(() -> start(Map.of("paybridge.gocardless.environment", "production")))
        .hasMessage("paybridge.gocardless.environment must be one of simulator, sandbox, live");
  }

  @Test
  void aSandboxCredentialIsRefused() {
    assertRefused(
        with("app.secret", "sandbox_" + SECRET),
        "app.secret looks like a GoCardless sandbox credential");
  }

  @Test
  void theSimulatorsCredentialIsRefused() {
    assertRefused(
        with("app.secret", "paybridge-simulator-client"),
        "app.secret looks like the GoCardless simulator's credential");
  }

  @Test
  void aPlaceholderIsRefused() {
    assertRefused(with("app.secret", "change-me"), "app.secret still holds a placeholder");
  }

  @Test
  void aMissingSecretIsRefused() {
    assertRefused(
        without("app.secret"), "app.secret is not set: it must come from the secret store");
  }

  @Test
  void aMissingEncryptionKeyMapIsRefused() {
    assertRefused(
        without("app.keys.k1"), "app.keys is not set: it must come from the secret store");
  }

  @Test
  void aSecretPackagedWithTheApplicationIsRefused() {
    var properties = without("app.secret");
    properties.put("spring.config.import", "classpath:golive/packaged-secret.yml");
    assertRefused(
        properties, "app.secret comes from a configuration file packaged with the application");
  }

  @Test
  void aPackagedFileMayReferToTheSecretStore() {
    var properties = without("app.secret");
    properties.put("spring.config.import", "classpath:golive/packaged-reference.yml");
    properties.put("APP_SECRET_FROM_STORE", SECRET);
    try (var context = start(properties)) {
      assertThat(context.getEnvironment().getProperty("app.secret")).isEqualTo(SECRET);
    }
  }

  @Test
  void aPackagedReferenceWhoseVariableIsMissingIsNotASecret() {
    var properties = without("app.secret");
    properties.put("spring.config.import", "classpath:golive/packaged-reference.yml");
    assertRefused(properties, "app.secret is not set");
  }

  @Test
  void aSecretOnTheCommandLineIsRefused() {
    var application = application(without("app.secret"));
    assertThatThrownBy(() -> application.run("--app.secret=" + SECRET).close())
        .isInstanceOf(LiveConfigurationRefusedException.class)
        .hasMessageContaining("app.secret comes from the command line")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void aLocalhostIssuerIsRefused() {
    assertRefused(
        with("paybridge.security.jwt.issuer-uri", "https://localhost:8180/realms/paybridge"),
        "paybridge.security.jwt.issuer-uri points at this machine");
  }

  @Test
  void aLoopbackIssuerIsRefused() {
    assertRefused(
        with("paybridge.security.jwt.issuer-uri", "https://127.0.0.1:8180/realms/paybridge"),
        "paybridge.security.jwt.issuer-uri points at this machine");
  }

  @Test
  void aPlaintextIssuerIsRefused() {
    assertRefused(
        with("paybridge.security.jwt.issuer-uri", "http://idp.example.com/realms/paybridge"),
        "paybridge.security.jwt.issuer-uri is not https (plaintext http)");
  }

  @Test
  void aMissingIssuerIsRefused() {
    assertRefused(
        with("paybridge.security.jwt.issuer-uri", ""),
        "paybridge.security.jwt.issuer-uri is not set");
  }

  @Test
  void aServiceWithoutTokensNeedsNoIssuer() {
    start(without("paybridge.security.jwt.issuer-uri")).close();
  }

  @Test
  void aLocalTokenEndpointIsRefused() {
    assertRefused(
        with(
            "spring.security.oauth2.client.provider.idp.token-uri",
            "http://localhost:8180/paybridge/token"),
        "spring.security.oauth2.client.provider.idp.token-uri is not https");
  }

  @Test
  void theSandboxApiIsRefused() {
    assertRefused(
        with("paybridge.gocardless.api-url", "https://api-sandbox.gocardless.com"),
        "paybridge.gocardless.api-url is a GoCardless sandbox URL");
  }

  @Test
  void theSimulatorIsRefusedWhereverTheServiceKeepsIt() {
    assertRefused(
        with("app.api-url", "http://localhost:8089/"),
        "app.api-url is not https",
        "app.api-url points at this machine",
        "app.api-url is not one of GoCardless's live hosts");
  }

  @Test
  void aPlaintextRedirectIsRefused() {
    assertRefused(
        with("app.redirect-uri", "http://paybridge.example.com/oauth/callback"),
        "app.redirect-uri is not https");
  }

  @Test
  void theLocalProfileIsRefused() {
    assertRefused(with("spring.profiles.active", "local"), "the 'local' profile is active");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    var properties = live();
    properties.put("app.secret", "sandbox_" + SECRET);
    properties.put("paybridge.security.jwt.issuer-uri", "http://localhost:8180/realms/paybridge");
    assertThatThrownBy(() -> start(properties))
        .isInstanceOfSatisfying(
            LiveConfigurationRefusedException.class,
            refused -> assertThat(refused.problems()).hasSize(3));
  }

  /** A configuration fit for live: the refusals below each break one thing of it. */
  private static Map<String, Object> live() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("paybridge.gocardless.environment", "live");
    properties.put("paybridge.security.jwt.issuer-uri", "https://idp.example.com/realms/paybridge");
    properties.put(
        "spring.security.oauth2.client.provider.idp.token-uri",
        "https://idp.example.com/realms/paybridge/protocol/openid-connect/token");
    properties.put("paybridge.go-live.secrets", "app.secret, app.keys");
    properties.put("app.secret", SECRET);
    properties.put("app.keys.k1", KEY);
    properties.put("paybridge.go-live.gocardless-urls", "app.api-url");
    properties.put("app.api-url", "https://api.gocardless.com/");
    properties.put("paybridge.go-live.public-urls", "app.redirect-uri, app.return-page");
    properties.put("app.redirect-uri", "https://payments.example.com/oauth/callback");
    properties.put("app.return-page", "/oauth/complete");
    return properties;
  }

  private static Map<String, Object> with(String name, String value) {
    var properties = live();
    properties.put(name, value);
    return properties;
  }

  private static Map<String, Object> without(String name) {
    var properties = live();
    properties.remove(name);
    return properties;
  }

  private static void assertRefused(Map<String, Object> properties, String... reasons) {
    assertThatThrownBy(() -> start(properties))
        .isInstanceOf(LiveConfigurationRefusedException.class)
        .hasMessageStartingWith("Refusing to start with paybridge.gocardless.environment=live")
        .hasMessageContainingAll(reasons)
        .message()
        .doesNotContain(SECRET)
        .doesNotContain(KEY);
  }

  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    return application(properties).run();
  }

  private static SpringApplicationBuilder application(Map<String, Object> properties) {
    var environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return new SpringApplicationBuilder(Empty.class)
        .environment(environment)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false);
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Configuration(proxyBeanMethods = false)
  static class Empty {}
}
