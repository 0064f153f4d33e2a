package io.paybridge.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paybridge.gateway.GatewayServiceApplication;
import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

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
    // team-limited on route merchants: burst 3, 1 per second (GatewayHarness).
    String token = teamToken("team-limited", "merchants:read");
    var answers = new ArrayList<Http.Response>();
    do {
      answers.add(Http.get(url("/merchants"), token));
    } while (answers.getLast().status() == 200 && answers.size() < 10);
    var other = Http.get(url("/merchants"), teamToken("team-a", "merchants:read"));

    var first = answers.getFirst();
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"merchants\";q=3;w=3");
    assertThat(first.header("RateLimit")).isEqualTo("\"merchants\";r=2;t=1");
    var refused = answers.getLast();
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().path("type").asString())
        .isEqualTo("https://paybridge.io/problems/rate-limited");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(refused.header("RateLimit")).isEqualTo("\"merchants\";r=0;t=3");
    // What was refused never reached the service.
    assertThat(OAUTH.received().stream().filter(r -> r.header("Authorization").endsWith(token)))
        .hasSize(answers.size() - 1);
    assertThat(other.status()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Http.get(url("/merchants"), token).status() == 200);
  }

  @Test
  void twoReplicasShareOneBucket() {
    // team-shared on route merchants: burst 40, 1 per second. A bucket per replica would show the
    // second replica's first request 39 tokens left.
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(GatewayServiceApplication.class).run(replicaArguments())) {
      int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
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

  private static int remaining(Http.Response response) {
    Matcher matcher = REMAINING.matcher(response.header("RateLimit"));
    assertThat(matcher.matches()).as(response.header("RateLimit")).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** The same settings as the first replica, as command-line arguments (they win over the yml). */
  private static String[] replicaArguments() {
    var arguments = new ArrayList<String>();
    properties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
    arguments.add("--server.port=0");
    return arguments.toArray(String[]::new);
  }
}
