package io.paybridge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.ServiceProcess;
import io.paybridge.platform.testsupport.http.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Per-team limits counted in the shared store: 429 problem+json with the RateLimit fields and
 * Retry-After once a team's bucket for a route is empty, service again once it refills, other teams
 * unaffected, and one bucket whichever replica a request reaches. The bucket refills one token per
 * second of Redis's clock, so the tests never rely on requests landing in one second.
 */
class RateLimitIT extends GatewayHarness {

  private static final Pattern REMAINING = Pattern.compile("\"merchants\";r=(\\d+);t=\\d+");

  @Test
  void aTeamOverItsLimitGets429UntilTheBucketRefillsAndOtherTeamsAreNotHeldBack() {
    // team-limited on route merchants: burst 3, 1 per second (GatewayHarness). Twelve requests at
    // once: however slow the machine, far fewer tokens come back meanwhile than are asked for.
    String token = teamToken("team-limited", "merchants:read");
    List<Http.Response> answers;
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      var calls = new ArrayList<java.util.concurrent.Future<Http.Response>>();
      for (int i = 0; i < 12; i++) {
        calls.add(executor.submit(() -> Http.get(url("/merchants"), token)));
      }
      answers = calls.stream().map(RateLimitIT::join).toList();
    }
    var other = Http.get(url("/merchants"), teamToken("team-a", "merchants:read"));

    var served = answers.stream().filter(r -> r.status() == 200).toList();
    var refused = answers.stream().filter(r -> r.status() == 429).toList();
    assertThat(served.size() + refused.size()).isEqualTo(12);
    assertThat(served).hasSizeBetween(3, 8);
    assertThat(served)
        .allSatisfy(
            r -> {
              assertThat(r.header("RateLimit-Policy")).isEqualTo("\"merchants\";q=3;w=3");
              assertThat(r.header("RateLimit")).matches("\"merchants\";r=[0-2];t=[1-3]");
            });
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.header("Content-Type")).startsWith("application/problem+json");
              assertThat(r.json().path("type").asString())
                  .isEqualTo("https://paybridge.io/problems/rate-limited");
              assertThat(r.header("Retry-After")).isEqualTo("1");
              assertThat(r.header("RateLimit")).isEqualTo("\"merchants\";r=0;t=3");
            });
    // What was refused never reached the service.
    assertThat(OAUTH.received().stream().filter(r -> r.header("Authorization").endsWith(token)))
        .hasSize(served.size());
    assertThat(other.status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Http.get(url("/merchants"), token).status() == 200);
  }

  private static Http.Response join(java.util.concurrent.Future<Http.Response> call) {
    try {
      return call.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoReplicasShareOneBucket() throws Exception {
    // team-shared on route merchants: burst 40, 1 per second. A bucket per replica would show the
    // second replica's first request 39 tokens left. The second replica is the gateway's executable
    // jar in a JVM of its own, as a deployment runs it.
    int secondPort = freePort();
    int secondManagementPort = freePort();
    var second =
        new ServiceProcess(
            "gateway-service",
            Path.of("target"),
            secondPort,
            secondManagementPort,
            replicaArguments(secondPort, secondManagementPort),
            Path.of("target/replica-logs"));
    second.start();
    try {
      second.awaitReady(Duration.ofMinutes(2));
      String secondUrl = "http://127.0.0.1:" + secondPort + "/merchants";
      String token = teamToken("team-shared", "merchants:read");

      List<Http.Response> onFirst = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        onFirst.add(Http.get(url("/merchants"), token));
      }
      var onSecond = Http.get(secondUrl, token);

      assertThat(onFirst).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
      assertThat(onSecond.status()).isEqualTo(200);
      int leftAfterFirst = remaining(onFirst.getLast());
      int leftAfterSecond = remaining(onSecond);
      assertThat(leftAfterFirst).isLessThanOrEqualTo(30 + 2);
      // One token taken on the second replica from the first's bucket (plus at most the tokens
      // that Redis's clock added between the two requests).
      assertThat(leftAfterSecond).isLessThan(leftAfterFirst + 2).isLessThan(39);
    } finally {
      second.stop();
    }
  }

  @Test
  void withoutTheStoreRequestsAreServedWithoutALimit() {
    String token = teamToken("team-limited-no-store", "merchants:read");
    REDIS.stop();
    try {
      var response = Http.get(url("/merchants"), token);

      // Failing open: the API stays up; no limit can be told, so no RateLimit fields.
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("RateLimit")).isNull();
    } finally {
      REDIS.restart();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.get(url("/merchants"), token).header("RateLimit") != null);
  }

  @Test
  void aStoreThatStopsAnsweringDoesNotHoldRequests() {
    String token = teamToken("team-limited-silent-store", "merchants:read");
    REDIS.hang(Duration.ofSeconds(8));

    var response = Http.get(url("/merchants"), token);

    // Served without a limit once the store's command timeout (500 ms) passed. Had the request
    // waited for the store instead, the store would have answered when it woke up and the
    // RateLimit fields would be set.
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("RateLimit")).isNull();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Http.get(url("/merchants"), token).header("RateLimit") != null);
  }

  private static int remaining(Http.Response response) {
    Matcher matcher = REMAINING.matcher(response.header("RateLimit"));
    assertThat(matcher.matches()).as(response.header("RateLimit")).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** The same settings as the first replica, as command-line arguments (they win over the yml). */
  private static List<String> replicaArguments(int port, int managementPort) {
    var arguments = new ArrayList<String>();
    properties().entrySet().stream()
        .filter(p -> !p.getKey().equals("management.server.port"))
        .forEach(p -> arguments.add("--" + p.getKey() + "=" + p.getValue()));
    arguments.add("--server.port=" + port);
    arguments.add("--management.server.port=" + managementPort);
    return arguments;
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
