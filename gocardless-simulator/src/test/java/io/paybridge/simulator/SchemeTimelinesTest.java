package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.Event;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scheme-specific behaviour (docs/gocardless/API.md §4.3, §6): SEPA mandates are submitted with
 * their first payment rather than on their own, and scenario simulators refuse schemes where
 * GoCardless does not offer them.
 */
@ExtendWith(TestSimulator.class)
class SchemeTimelinesTest {
  private static GoCardlessClient client;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("Schemes GmbH", "successful").accessToken());
  }

  private static Mandate sepaMandate(String name) {
    BillingRequest brq =
        client.billingRequests().create().withMandateRequestScheme("sepa_core").execute();
    client
        .billingRequests()
        .collectCustomerDetails(brq.getId())
        .withCustomerGivenName(name)
        .withCustomerFamilyName("Muster")
        .withCustomerEmail(name.toLowerCase() + "@example.de")
        .withCustomerBillingDetailAddressLine1("Hauptstrasse 1")
        .withCustomerBillingDetailCity("Berlin")
        .withCustomerBillingDetailPostalCode("10115")
        .withCustomerBillingDetailCountryCode("DE")
        .execute();
    client
        .billingRequests()
        .collectBankAccount(brq.getId())
        .withAccountHolderName(name + " Muster")
        .withIban("DE89370400440532013000")
        .execute();
    client.billingRequests().confirmPayerDetails(brq.getId()).execute();
    BillingRequest fulfilled = client.billingRequests().fulfil(brq.getId()).execute();
    return client.mandates().get(fulfilled.getLinks().getMandateRequestMandate()).execute();
  }

  private static LocalDate dayOf(Event e) {
    return LocalDate.ofInstant(Instant.parse(e.getCreatedAt()), ZoneOffset.UTC);
  }

  @Test
  void aSepaMandateIsSubmittedWithItsFirstPayment() {
    Mandate mandate = sepaMandate("Erika");
    assertThat(mandate.getScheme()).isEqualTo("sepa_core");
    SIM.clock().advance(Duration.ofDays(10));
    assertThat(client.mandates().get(mandate.getId()).execute().getStatus())
        .as("no payment, so not submitted")
        .isEqualTo(Mandate.Status.PENDING_SUBMISSION);

    Payment payment =
        client
            .payments()
            .create()
            .withAmount(1999)
            .withCurrency(Currency.EUR)
            .withLinksMandate(mandate.getId())
            .execute();
    SIM.clock().advanceTo(LocalDate.parse(payment.getChargeDate()));
    assertThat(client.payments().get(payment.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CONFIRMED);
    assertThat(client.mandates().get(mandate.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.ACTIVE);
    Event mandateSubmitted =
        client
            .events()
            .list()
            .withMandate(mandate.getId())
            .withAction("submitted")
            .execute()
            .getItems()
            .getFirst();
    Event paymentSubmitted =
        client
            .events()
            .list()
            .withPayment(payment.getId())
            .withAction("submitted")
            .execute()
            .getItems()
            .getFirst();
    assertThat(dayOf(mandateSubmitted)).isEqualTo(dayOf(paymentSubmitted));
  }

  @Test
  void scenarioSimulatorsRefuseSchemesGoCardlessDoesNotOfferThemFor() {
    Mandate mandate = sepaMandate("Hans");
    for (String scenario : new String[] {"mandate_activated", "mandate_failed"}) {
      InvalidStateException e =
          assertThrows(
              InvalidStateException.class,
              () ->
                  client
                      .scenarioSimulators()
                      .run(scenario)
                      .withLinksResource(mandate.getId())
                      .execute());
      assertThat(e.getMessage()).as(scenario).contains("sepa_core");
    }
    assertThat(client.mandates().get(mandate.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.PENDING_SUBMISSION);
    // Offered for SEPA: a payment scenario takes the mandate along with it.
    Payment payment =
        client
            .payments()
            .create()
            .withAmount(500)
            .withCurrency(Currency.EUR)
            .withLinksMandate(mandate.getId())
            .execute();
    client
        .scenarioSimulators()
        .run("payment_confirmed")
        .withLinksResource(payment.getId())
        .execute();
    assertThat(client.mandates().get(mandate.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.ACTIVE);
  }
}
