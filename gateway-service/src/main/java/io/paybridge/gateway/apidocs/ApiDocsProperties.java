package io.paybridge.gateway.apidocs;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the services' API documents are presented at the gateway ({@code
 * paybridge.gateway.api-docs.*}): every document gets the gateway as its server and the platform's
 * security scheme, an OAuth2 client-credentials flow of the company's issuer with the scopes below.
 *
 * @param tokenUrl the issuer's token endpoint, shown in the documents (and used by Swagger UI's
 *     "Authorize")
 * @param scopes every scope a route may need, with what it allows
 */
@ConfigurationProperties("paybridge.gateway.api-docs")
public record ApiDocsProperties(URI tokenUrl, Map<String, String> scopes) {

  public ApiDocsProperties {
    scopes = scopes == null ? Map.of() : Map.copyOf(scopes);
  }
}
