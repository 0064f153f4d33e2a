package io.paybridge.gateway.operations;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

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

  /**
   * The console's pages may load only the console's own files and call only the gateway: a script
   * injected through something a service answered could neither run inline nor send the operator's
   * token elsewhere.
   */
  @Bean
  WebFilter consoleContentSecurityPolicy() {
    return (exchange, chain) -> {
      if (exchange.getRequest().getPath().value().startsWith("/console")) {
        exchange
            .getResponse()
            .getHeaders()
            .set(
                "Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
                    + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      }
      return chain.filter(exchange);
    };
  }
}
