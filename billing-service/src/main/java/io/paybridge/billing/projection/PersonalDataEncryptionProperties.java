package io.paybridge.billing.projection;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Encryption at rest of the personal data a team may put in a resource's {@code metadata} (payers'
 * names, emails, customer numbers) in the projections ({@code
 * paybridge.billing.personal-data-encryption.*}): platform/crypto's AES-256-GCM with key ids, as
 * merchant tokens in oauth-service.
 *
 * <p>Rotation: add the new key to every instance's secret store and roll out, then make it the
 * active key and roll out again; the rotation job re-encrypts what is under another key (and
 * encrypts what was stored before encryption was on). Remove the old key once no row names it
 * (docs/runbook.md).
 *
 * @param keys AES-256 keys by key id: Base64 of 32 random bytes each, from the secret store
 *     (environment), never committed. None: metadata is stored as given (the service logs a warning
 *     at start)
 * @param activeKeyId the key new values are encrypted with; must name one of {@code keys} when keys
 *     are configured
 * @param rotationInterval how often the rotation job looks for values under another key
 * @param rotationBatchSize rows re-encrypted per transaction
 */
@ConfigurationProperties("paybridge.billing.personal-data-encryption")
public record PersonalDataEncryptionProperties(
    @DefaultValue Map<String, String> keys,
    String activeKeyId,
    @DefaultValue("1m") Duration rotationInterval,
    @DefaultValue("100") int rotationBatchSize) {

  @Override
  public String toString() {
    return "PersonalDataEncryptionProperties[keys="
        + keys.keySet()
        + " (values redacted), activeKeyId="
        + activeKeyId
        + ", rotationInterval="
        + rotationInterval
        + ", rotationBatchSize="
        + rotationBatchSize
        + "]";
  }
}
