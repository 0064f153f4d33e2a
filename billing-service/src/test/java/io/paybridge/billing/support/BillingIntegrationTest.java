package io.paybridge.billing.support;

import io.paybridge.platform.testsupport.IntegrationTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The one Spring context of billing-service's integration tests, pointed at {@link BillingWorld}. */
@IntegrationTest
public abstract class BillingIntegrationTest {

  @DynamicPropertySource
  static void world(DynamicPropertyRegistry registry) {
    var world = BillingWorld.get();
    registry.add("paybridge.security.jwt.issuer-uri", world.issuer::issuerUri);
    registry.add("paybridge.security.jwt.jwks-uri", world.issuer::jwksUri);
    registry.add("paybridge.gocardless.base-url", world.gocardless::url);
    registry.add("paybridge.gocardless.merchant-tokens-url", world.merchantTokens::url);
    registry.add(
        "spring.security.oauth2.client.provider.paybridge-idp.token-uri",
        () -> world.issuer.issuerUri() + "/token");
  }
}
