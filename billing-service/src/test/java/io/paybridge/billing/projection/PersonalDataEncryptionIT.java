package io.paybridge.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.billing.support.BillingIntegrationTest;
import io.paybridge.platform.testsupport.ColumnSearch;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A team's metadata (where payers' names and emails end up) is encrypted in PostgreSQL with a key
 * id, readable through the API, and stays readable when the rotation re-encrypts it under another
 * key.
 */
class PersonalDataEncryptionIT extends BillingIntegrationTest {

  private static final String TEAM = "team-encryption";

  @Autowired DataSource dataSource;
  @Autowired PersonalDataKeyRotation rotation;

  @Test
  void metadataIsStoredEncryptedAndARotationKeepsItReadable() {
    var merchant = connectNewMerchant(TEAM, "Encrypted Bakery");
    String email = "grace." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    var created =
        postWithKey(
            TEAM,
            "/billing-requests",
            UUID.randomUUID().toString(),
            """
            {"merchantId":"%s","mandateRequest":{"scheme":"bacs","currency":"GBP"},
             "metadata":{"payerEmail":"%s"}}
            """
                .formatted(merchant.merchantId(), email));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asString();

    assertThat(get(TEAM, "/billing-requests/" + id).path("metadata").path("payerEmail").asString())
        .isEqualTo(email);
    assertThat(ColumnSearch.columnsContaining(dataSource, email)).isEmpty();
    assertThat(stored(id)).startsWith("v1.test-1.");

    assertThat(rotation.rotateTo("test-2")).isPositive();
    assertThat(stored(id)).startsWith("v1.test-2.");
    assertThat(get(TEAM, "/billing-requests/" + id).path("metadata").path("payerEmail").asString())
        .isEqualTo(email);
    assertThat(ColumnSearch.columnsContaining(dataSource, email)).isEmpty();

    // Back under the configured active key (what the job would do), still readable.
    rotation.rotateTo("test-1");
    assertThat(stored(id)).startsWith("v1.test-1.");
    assertThat(get(TEAM, "/billing-requests/" + id).path("metadata").path("payerEmail").asString())
        .isEqualTo(email);
  }

  private String stored(String billingRequestId) {
    return jdbc.queryForObject(
        "select view->>'metadataEncrypted' from billing_request where id = ?",
        String.class,
        billingRequestId);
  }
}
