package io.paybridge.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

/**
 * Who may call which route ({@code paybridge.gateway.access.*}). Every path not listed as public
 * needs a valid bearer token that names a team; a path of a scope rule also needs the rule's scope:
 * {@code read} for GET, HEAD and OPTIONS, {@code write} for every other method.
 *
 * @param publicRoutes method and path pattern of the routes open without a token (GoCardless's
 *     webhook, the OAuth callback and completion pages, the API documents)
 * @param scopes the scope rules, first match wins
 * @param teamClaim the claim that names the caller's team (default {@code team})
 */
@ConfigurationProperties("paybridge.gateway.access")
public record AccessProperties(
    List<PublicRoute> publicRoutes,
    List<ScopeRule> scopes,
    @DefaultValue("team") String teamClaim) {

  public AccessProperties {
    publicRoutes = publicRoutes == null ? List.of() : List.copyOf(publicRoutes);
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /**
   * @param method the HTTP method, or none for every method
   * @param path a path pattern ({@code /oauth/callback}, {@code /swagger-ui/**})
   */
  public record PublicRoute(HttpMethod method, String path) {

    public PublicRoute {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException(
            "paybridge.gateway.access.public-routes: a path starting with '/' is required");
      }
    }
  }

  /**
   * @param paths path patterns of the rule
   * @param read the scope needed to read (GET, HEAD, OPTIONS)
   * @param write the scope needed for every other method
   */
  public record ScopeRule(List<String> paths, String read, String write) {

    public ScopeRule {
      if (paths == null || paths.isEmpty() || read == null || write == null) {
        throw new IllegalArgumentException(
            "paybridge.gateway.access.scopes: every rule needs paths, read and write");
      }
      paths = List.copyOf(paths);
    }
  }
}
