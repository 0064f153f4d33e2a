package io.paybridge.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real servlet application whose advice extends {@link CommonApiExceptionHandler}, called over
 * HTTP: each common failure answers problem+json (RFC 9457 members, the documented type URI, the
 * request id of the {@code X-Request-Id} header) and a failure inside a handler never echoes its
 * message.
 */
class CommonApiExceptionHandlerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext app;
  private static String base;

  @BeforeAll
  static void start() {
    app =
        new SpringApplicationBuilder(App.class)
            .properties("paybridge.security.jwt.enabled=false", "management.server.port=-1")
            .run("--server.port=0");
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void anUnreadableBodyIsAnInvalidRequestWithTheCallersRequestId() throws Exception {
    var response = post("/things", "{not json", "req-7f3a");
    assertProblem(response, 400, "https://paybridge.io/problems/invalid-request", "/things");
    assertThat(response.headers().firstValue("X-Request-Id")).contains("req-7f3a");
    assertThat(json(response).path("requestId").asString()).isEqualTo("req-7f3a");
    assertThat(json(response).path("detail").asString())
        .startsWith("The request could not be read");
  }

  @Test
  void aRequestRecordRefusingItsValuesSaysWhy() throws Exception {
    var response = post("/things", "{\"amount\":-5}", null);
    assertProblem(response, 400, "https://paybridge.io/problems/invalid-request", "/things");
    assertThat(json(response).path("detail").asString()).contains("amount must be positive");
  }

  @Test
  void aMissingParameterOrHeaderIsNamed() throws Exception {
    var noParameter = get("/things", null);
    assertProblem(noParameter, 400, "https://paybridge.io/problems/invalid-request", "/things");
    assertThat(json(noParameter).path("detail").asString()).contains("parameter owner is missing");

    var noHeader = get("/headed", null);
    assertProblem(noHeader, 400, "https://paybridge.io/problems/invalid-request", "/headed");
    assertThat(json(noHeader).path("detail").asString()).contains("Header X-Owner is missing");
  }

  @Test
  void anUnknownRouteAndAWrongMethodAreProblemsToo() throws Exception {
    assertProblem(
        get("/nowhere", null), 404, "https://paybridge.io/problems/not-found", "/nowhere");
    var wrongMethod =
        send(
            HttpRequest.newBuilder(URI.create(base + "/headed"))
                .DELETE()
                .header("Accept", "application/json"));
    assertProblem(wrongMethod, 405, "https://paybridge.io/problems/method-not-allowed", "/headed");
  }

  @Test
  void aFailureInsideAHandlerIsA500ThatEchoesNothing() throws Exception {
    var response = get("/broken", null);
    assertProblem(response, 500, "https://paybridge.io/problems/internal-error", "/broken");
    assertThat(response.body()).doesNotContain("secret-detail-of-the-failure");
    assertThat(json(response).path("requestId").asString()).isNotBlank();
  }

  private static void assertProblem(
      HttpResponse<String> response, int status, String type, String instance) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode body = json(response);
    assertThat(body.path("type").asString()).isEqualTo(type);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("title").asString()).isNotBlank();
    assertThat(body.path("instance").asString()).isEqualTo(instance);
    assertThat(response.headers().firstValue("X-Request-Id"))
        .contains(body.path("requestId").asString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path, String requestId) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return send(request);
  }

  private static HttpResponse<String> post(String path, String body, String requestId)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return send(request);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request body that refuses a non-positive amount, as the services' request records do. */
  record Thing(long amount) {
    Thing {
      if (amount <= 0) {
        throw new IllegalArgumentException("amount must be positive");
      }
    }
  }

  @RestController
  static class Things {
    @PostMapping("/things")
    Thing create(@RequestBody Thing thing) {
      return thing;
    }

    @GetMapping("/things")
    String list(@RequestParam String owner) {
      return owner;
    }

    @GetMapping("/headed")
    String headed(@RequestHeader("X-Owner") String owner) {
      return owner;
    }

    @GetMapping("/broken")
    String broken() {
      throw new IllegalStateException("secret-detail-of-the-failure");
    }
  }

  @RestControllerAdvice
  static class Advice extends CommonApiExceptionHandler {}

  /**
   * Auto-configuration and the two beans above only (no component scan); every route open, as the
   * problems under test come after authentication.
   */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({Things.class, Advice.class})
  static class App {
    @Bean
    SecurityFilterChain open(HttpSecurity http) {
      return http.csrf(csrf -> csrf.disable())
          .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .build();
    }
  }
}
