package io.paybridge.platform.web.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.paybridge.platform.web.ProblemType;
import io.paybridge.platform.web.security.ReactiveIssuerJwtDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The WebFlux counterparts: switched on in reactive applications only, same rules as servlet. */
class ReactiveWebSupportTest {

  private static final String ISSUER = "http://127.0.0.1:1/never-reached";

  enum Problem implements ProblemType {
    TEAPOT(Definition.of(418, "teapot", "I am a teapot"));

    private final Definition definition;

    Problem(Definition definition) {
      this.definition = definition;
    }

    @Override
    public Definition definition() {
      return definition;
    }
  }

  @Test
  void aReactiveApplicationGetsTheReactiveDecoderAndFiltersAServletOneDoesNot() throws Exception {
    // The package-private auto-configurations, as the imports file names them.
    var configurations =
        AutoConfigurations.of(
            ReactiveWebSupportAutoConfiguration.class,
            Class.forName("io.paybridge.platform.web.WebSupportAutoConfiguration"),
            Class.forName("io.paybridge.platform.web.security.JwtSecurityAutoConfiguration"));
    String[] settings = {
      "paybridge.security.jwt.issuer-uri=" + ISSUER, "paybridge.security.jwt.audiences=api"
    };
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(configurations)
        .withPropertyValues(settings)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ReactiveJwtDecoder.class);
              assertThat(context.getBean(ReactiveJwtDecoder.class))
                  .isInstanceOf(ReactiveIssuerJwtDecoder.class);
              assertThat(context).hasSingleBean(ReactiveRequestIds.class);
              assertThat(context).hasSingleBean(AccessLog.class);
            });
    new WebApplicationContextRunner()
        .withConfiguration(configurations)
        .withPropertyValues(settings)
        .run(
            context -> {
              assertThat(context).hasSingleBean(JwtDecoder.class);
              assertThat(context).doesNotHaveBean(ReactiveJwtDecoder.class);
              assertThat(context).doesNotHaveBean(ReactiveRequestIds.class);
              assertThat(context).doesNotHaveBean(AccessLog.class);
            });
  }

  @Test
  void aForgedRequestIdIsReplacedOnTheRequestPassedOnAndEchoed() {
    var exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.get("/x").header("X-Request-Id", "bad\nid"));
    var passedOn = new String[1];
    WebFilterChain chain =
        e -> {
          passedOn[0] = e.getRequest().getHeaders().getFirst("X-Request-Id");
          return Mono.empty();
        };

    new ReactiveRequestIds().filter(exchange, chain).block();

    String echoed = exchange.getResponse().getHeaders().getFirst("X-Request-Id");
    assertThat(echoed).isNotEqualTo("bad\nid").matches("[0-9a-f-]{36}");
    assertThat(passedOn[0]).isEqualTo(echoed);
  }

  @Test
  void aProblemHasTheCatalogueTypeAndTheRequestIdAtTheTopLevel() {
    var exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.get("/teapots/1").header("X-Request-Id", "req-1"));
    new ReactiveRequestIds()
        .filter(
            exchange,
            e -> ReactiveProblems.write(JsonMapper.builder().build(), Problem.TEAPOT, "short", e))
        .block();

    var response = exchange.getResponse();
    assertThat(response.getStatusCode().value()).isEqualTo(418);
    assertThat(response.getHeaders().getContentType().toString())
        .isEqualTo("application/problem+json");
    var body = JsonMapper.builder().build().readTree(response.getBodyAsString().block());
    assertThat(body.path("type").asString()).isEqualTo("https://paybridge.io/problems/teapot");
    assertThat(body.path("title").asString()).isEqualTo("I am a teapot");
    assertThat(body.path("instance").asString()).isEqualTo("/teapots/1");
    assertThat(body.path("requestId").asString()).isEqualTo("req-1");
  }

  @Test
  void theAccessLogHasNoTokenQueryOrBody() {
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    var logger = (Logger) LoggerFactory.getLogger("paybridge.access");
    logger.addAppender(appender);
    try {
      var exchange =
          MockServerWebExchange.from(
              MockServerHttpRequest.post("/oauth/callback?code=SECRET-CODE&state=SECRET-STATE")
                  .header("Authorization", "Bearer SECRET-TOKEN")
                  .body("SECRET-BODY"));
      new AccessLog()
          .filter(
              exchange,
              e -> {
                AccessLog.label(e, "paybridge.team", "team-a");
                return e.getRequest().getBody().then();
              })
          .block();

      assertThat(appender.list).hasSize(1);
      var event = appender.list.getFirst();
      String everything =
          event.getFormattedMessage()
              + event.getKeyValuePairs().stream()
                  .map(kv -> kv.key + "=" + kv.value)
                  .reduce("", String::concat);
      assertThat(everything).contains("/oauth/callback", "team-a", "POST");
      assertThat(everything.getBytes(StandardCharsets.UTF_8)).asString().doesNotContain("SECRET");
    } finally {
      logger.detachAppender(appender);
    }
  }
}
