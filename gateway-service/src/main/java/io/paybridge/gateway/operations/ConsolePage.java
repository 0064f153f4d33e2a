package io.paybridge.gateway.operations;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The operator console: static files under {@code classpath:/static/console/} (no build step), its
 * page also at {@code /console} and {@code /console/}. The page itself holds no data and no secret;
 * it calls the operator endpoints with the token the operator pastes in.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePage {

  @Bean
  RouterFunction<ServerResponse> consoleIndex() {
    var page = new ClassPathResource("static/console/index.html");
    return RouterFunctions.route(
        GET("/console").or(GET("/console/")),
        request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page));
  }
}
