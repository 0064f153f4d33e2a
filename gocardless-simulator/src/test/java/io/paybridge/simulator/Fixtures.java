package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.Mandate;
import java.time.Duration;

/** Test data built through the official client. */
final class Fixtures {
  private Fixtures() {}

  /**
   * A Bacs mandate set up through a billing request (API actions), then activated by advancing the
   * clock.
   */
  static Mandate activeMandate(GoCardlessClient client, String givenName) {
    Mandate m = pendingMandate(client, givenName);
    SIM.clock().advance(Duration.ofDays(6));
    return client.mandates().get(m.getId()).execute();
  }

  static Mandate pendingMandate(GoCardlessClient client, String givenName) {
    BillingRequest brq =
        client.billingRequests().create().withMandateRequestScheme("bacs").execute();
    client
        .billingRequests()
        .collectCustomerDetails(brq.getId())
        .withCustomerGivenName(givenName)
        .withCustomerFamilyName("Tester")
        .withCustomerEmail(givenName.toLowerCase() + "@example.com")
        .withCustomerBillingDetailAddressLine1("1 Test Street")
        .withCustomerBillingDetailCity("London")
        .withCustomerBillingDetailPostalCode("E1 1AA")
        .withCustomerBillingDetailCountryCode("GB")
        .execute();
    client
        .billingRequests()
        .collectBankAccount(brq.getId())
        .withAccountHolderName(givenName + " Tester")
        .withAccountNumber("55779911")
        .withBranchCode("200000")
        .withCountryCode("GB")
        .execute();
    client.billingRequests().confirmPayerDetails(brq.getId()).execute();
    BillingRequest fulfilled = client.billingRequests().fulfil(brq.getId()).execute();
    return client.mandates().get(fulfilled.getLinks().getMandateRequestMandate()).execute();
  }
}
