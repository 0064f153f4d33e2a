package io.paybridge.webhookingest.recovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What switching recovery on ({@code paybridge.recovery.enabled}) adds to the service's settings,
 * before web-support's GoCardless environment and live check run (right after this):
 *
 * <ul>
 *   <li>GoCardless's API ({@code paybridge.gocardless.base-url}) from the one environment setting
 *       (sandbox or live) unless set; not in application.yml, because platform/gocardless-client's
 *       set-up is on whenever it is set, and wants a client registration that a service without
 *       recovery does not have;
 *   <li>the client credentials for oauth-service's merchant tokens, as billing-service has them in
 *       its application.yml: registration {@code oauth-service}, client {@code
 *       webhook-ingest-service}, scope {@code merchant-tokens:read}, the secret {@code
 *       PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET} and the IdP's token endpoint {@code
 *       PAYBRIDGE_TOKEN_URI}; the issuer of operators' tokens {@code PAYBRIDGE_ISSUER_URI};
 *   <li>for live mode: the client secret of the {@code oauth-service} registration among the
 *       secrets that must come from the secret store, and the company IdP's issuer ({@code
 *       paybridge.security.jwt.issuer-uri}) named, so that the check demands it. With recovery off
 *       the service takes no tokens and calls nobody, and neither is asked for.
 * </ul>
 */
public class RecoveryEnvironment implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY_SOURCE = "paybridgeRecovery";
  static final String DEFAULTS_SOURCE = "paybridgeRecoveryDefaults";
  static final String REGISTRATION = "spring.security.oauth2.client.registration.oauth-service.";
  static final String CLIENT_SECRET = REGISTRATION + "client-secret";
  static final String TOKEN_URI = "spring.security.oauth2.client.provider.paybridge-idp.token-uri";
  static final String ISSUER = "paybridge.security.jwt.issuer-uri";
  static final String BASE_URL = "paybridge.gocardless.base-url";
  private static final String SECRETS = "paybridge.go-live.secrets";

  @Override
  public int getOrder() {
    // Just before GoCardlessEnvironmentPostProcessor (the lowest precedence), after the
    // configuration files and mounted secrets are in the environment.
    return Ordered.LOWEST_PRECEDENCE - 1;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    var sources = environment.getPropertySources();
    sources.remove(PROPERTY_SOURCE);
    sources.remove(DEFAULTS_SOURCE);
    if (!environment.getProperty("paybridge.recovery.enabled", Boolean.class, false)) {
      return;
    }
    Binder binder = Binder.get(environment);
    List<String> secrets =
        new ArrayList<>(binder.bind(SECRETS, Bindable.listOf(String.class)).orElseGet(List::of));
    if (!secrets.contains(CLIENT_SECRET)) {
      secrets.add(CLIENT_SECRET);
    }
    // A list is taken whole from the first source that has it: the declared names and recovery's.
    sources.addFirst(
        new MapPropertySource(PROPERTY_SOURCE, Map.of(SECRETS, String.join(",", secrets))));
    // At the lowest precedence, so that any value set wins. Not in application.yml: a client
    // registration there would be checked (its token URI) by a service without recovery too.
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put(BASE_URL, "${" + "paybridge.gocardless.api-url:}");
    defaults.put(ISSUER, "${" + "PAYBRIDGE_ISSUER_URI:}");
    defaults.put(REGISTRATION + "client-id", "webhook-ingest-service");
    defaults.put(CLIENT_SECRET, "${" + "PAYBRIDGE_WEBHOOK_INGEST_CLIENT_SECRET:}");
    defaults.put(REGISTRATION + "authorization-grant-type", "client_credentials");
    defaults.put(REGISTRATION + "scope", "merchant-tokens:read");
    defaults.put(REGISTRATION + "provider", "paybridge-idp");
    defaults.put(TOKEN_URI, "${" + "PAYBRIDGE_TOKEN_URI:}");
    sources.addLast(new MapPropertySource(DEFAULTS_SOURCE, defaults));
  }
}
