package io.paybridge.billing.erasure;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Erasure of payers' personal data ({@code paybridge.billing.erasure.*}).
 *
 * @param pseudonymKey the secret key of the pseudonyms that replace an erased customer id (a keyed
 *     hash, so that the records of one payer stay joinable and nobody without the key can tell
 *     whose they are); at least 32 characters, from the secret store ({@code
 *     PAYBRIDGE_BILLING_ERASURE_PSEUDONYM_KEY}). No default: without it no erasure can be requested
 * @param services the services that hold personal data and acknowledge each request on {@code
 *     payers.erasure} (default billing-service, webhook-ingest-service, notification-service): a
 *     request is complete when every one of them has
 */
@ConfigurationProperties("paybridge.billing.erasure")
public record ErasureProperties(
    String pseudonymKey,
    @DefaultValue({"billing-service", "webhook-ingest-service", "notification-service"})
        List<String> services) {

  @Override
  public String toString() {
    return "ErasureProperties[pseudonymKey=<redacted>, services=" + services + "]";
  }
}
