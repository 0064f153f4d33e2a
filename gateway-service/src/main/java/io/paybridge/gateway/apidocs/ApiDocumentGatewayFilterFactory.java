package io.paybridge.gateway.apidocs;

import java.util.TreeMap;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.filter.factory.rewrite.ModifyResponseBodyGatewayFilterFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ApiDocument} in the filters of a route to a service's {@code /v3/api-docs}: presents the
 * service's OpenAPI document as the gateway serves it. Its server becomes the gateway ({@code /})
 * and its security the platform's scheme {@code paybridge} (OAuth2, the issuer's token URL, every
 * scope with its meaning, {@link ApiDocsProperties}); paths, operations and schemas stay as the
 * service wrote them. A service answer that is not a JSON object passes unchanged.
 */
@Component
public class ApiDocumentGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

  static final String SCHEME = "paybridge";

  private final ModifyResponseBodyGatewayFilterFactory modifyBody;
  private final ApiDocsProperties properties;
  private final ObjectMapper mapper;

  ApiDocumentGatewayFilterFactory(
      ModifyResponseBodyGatewayFilterFactory modifyBody,
      ApiDocsProperties properties,
      ObjectMapper mapper) {
    super(Object.class);
    this.modifyBody = modifyBody;
    this.properties = properties;
    this.mapper = mapper;
  }

  @Override
  public GatewayFilter apply(Object config) {
    var rewrite = new ModifyResponseBodyGatewayFilterFactory.Config();
    rewrite.setRewriteFunction(
        String.class, String.class, (exchange, body) -> Mono.justOrEmpty(present((String) body)));
    return modifyBody.apply(rewrite);
  }

  String present(String document) {
    if (document == null) {
      return null;
    }
    JsonNode tree;
    try {
      tree = mapper.readTree(document);
    } catch (RuntimeException e) {
      return document;
    }
    if (!(tree instanceof ObjectNode api)) {
      return document;
    }
    api.putArray("servers").addObject().put("url", "/").put("description", "PayBridge gateway");
    ObjectNode components =
        api.get("components") instanceof ObjectNode existing
            ? existing
            : api.putObject("components");
    ObjectNode schemes =
        components.get("securitySchemes") instanceof ObjectNode existing
            ? existing
            : components.putObject("securitySchemes");
    ObjectNode scheme = schemes.putObject(SCHEME);
    scheme.put("type", "oauth2");
    scheme.put(
        "description",
        "A JWT of the company's issuer with aud paybridge-api, a team claim and the route's scope"
            + " (reads: :read, changes: :write); sent as Authorization: Bearer <token>.");
    ObjectNode flow = scheme.putObject("flows").putObject("clientCredentials");
    if (properties.tokenUrl() != null) {
      flow.put("tokenUrl", properties.tokenUrl().toString());
    }
    ObjectNode scopes = flow.putObject("scopes");
    new TreeMap<>(properties.scopes()).forEach(scopes::put);
    api.putArray("security").addObject().putArray(SCHEME);
    return mapper.writeValueAsString(api);
  }
}
