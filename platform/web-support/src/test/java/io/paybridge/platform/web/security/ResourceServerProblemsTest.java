package io.paybridge.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.web.ProblemType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * A resource server built on the auto-configuration, whose issuer cannot be reached: a request with
 * a bearer token is answered 503 problem+json with {@code Retry-After}, not a bare 500, and the
 * service started all the same.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = ResourceServerProblemsTest.App.class)
class ResourceServerProblemsTest {

  /** Nothing listens there. */
  private static final int ISSUER_PORT = freePort();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "paybridge.security.jwt.issuer-uri",
        () -> "http://localhost:" + ISSUER_PORT + "/paybridge");
    registry.add("paybridge.security.jwt.audiences", () -> "oauth-service");
    // No actuator over HTTP: a service's would be on a management port of its own.
    registry.add("management.server.port", () -> "-1");
    registry.add("paybridge.security.jwt.connect-timeout", () -> "500ms");
  }

  @Test
  void aTokenThatCannotBeCheckedIsAnsweredServiceUnavailable() throws Exception {
    String token =
        new MockOAuth2Server()
            .issueToken("paybridge", "user-of-team-a", "oauth-service", Map.of(), 3600)
            .serialize();

    var response = get(token);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.body())
        .contains("https://paybridge.io/problems/identity-provider-unavailable")
        .contains("requestId");
  }

  @Test
  void noTokenIsStillUnauthenticated() throws Exception {
    var response = get(null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("https://paybridge.io/problems/unauthenticated");
  }

  private HttpResponse<String> get(String token) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (var client = HttpClient.newHttpClient()) {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  enum TestProblem implements ProblemType {
    UNAUTHENTICATED(Definition.of(401, "unauthenticated", "A valid bearer token is required")),
    UNAVAILABLE(
        Definition.of(
            503, "identity-provider-unavailable", "The token cannot be checked now; retry later"));

    private final Definition definition;

    TestProblem(Definition definition) {
      this.definition = definition;
    }

    @Override
    public Definition definition() {
      return definition;
    }
  }

  @SpringBootApplication
  @RestController
  static class App {

    @GetMapping("/hello")
    String hello() {
      return "hello";
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ObjectMapper mapper) throws Exception {
      var entryPoint =
          BearerTokenProblems.entryPoint(
              mapper, TestProblem.UNAUTHENTICATED, TestProblem.UNAVAILABLE);
      return http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
          .oauth2ResourceServer(rs -> rs.jwt(jwt -> {}).authenticationEntryPoint(entryPoint))
          .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))
          .build();
    }
  }
}
