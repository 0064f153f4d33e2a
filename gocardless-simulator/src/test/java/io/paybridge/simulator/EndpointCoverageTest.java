package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidApiUsageException;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.BillingRequestFlow;
import com.gocardless.resources.Creditor;
import com.gocardless.resources.Customer;
import com.gocardless.resources.CustomerBankAccount;
import com.gocardless.resources.Event;
import com.gocardless.resources.Institution;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The endpoints not already walked by the journeys, each through the official client. */
@ExtendWith(TestSimulator.class)
class EndpointCoverageTest {

  @Test
  void creditorsCustomersAndBankAccounts() {
    SimulatedOrganisation org = SIM.createOrganisation("Coverage Ltd", "in_review");
    GoCardlessClient client = client(org.accessToken());
    Creditor creditor =
        client
            .creditors()
            .update(org.creditorId())
            .withName("Coverage Renamed")
            .withCity("Leeds")
            .execute();
    assertThat(creditor.getName()).isEqualTo("Coverage Renamed");
    assertThat(client.creditors().get(org.creditorId()).execute().getCity()).isEqualTo("Leeds");

    Customer customer =
        client
            .customers()
            .create()
            .withGivenName("Cover")
            .withFamilyName("Age")
            .withEmail("c@example.com")
            .execute();
    assertThat(
            client
                .customers()
                .update(customer.getId())
                .withEmail("new@example.com")
                .execute()
                .getEmail())
        .isEqualTo("new@example.com");
    CustomerBankAccount account =
        client
            .customerBankAccounts()
            .create()
            .withAccountHolderName("Cover Age")
            .withIban("GB60BARC20000055779911")
            .withLinksCustomer(customer.getId())
            .execute();
    assertThat(account.getAccountNumberEnding()).isEqualTo("11");
    assertThat(account.getCurrency()).isEqualTo("GBP");
    assertThat(account.getPayerNameVerificationResult())
        .isEqualTo(CustomerBankAccount.PayerNameVerificationResult.FULL);
    assertThat(
            client
                .customerBankAccounts()
                .update(account.getId())
                .withMetadata("k", "v")
                .execute()
                .getMetadata())
        .containsEntry("k", "v");
    assertThat(
            client
                .customerBankAccounts()
                .list()
                .withCustomer(customer.getId())
                .execute()
                .getItems())
        .extracting(CustomerBankAccount::getId)
        .containsExactly(account.getId());
    // The same account again for the same customer, even written as local details, is refused.
    ValidationFailedException exists =
        catchThrowableOfType(
            ValidationFailedException.class,
            () ->
                client
                    .customerBankAccounts()
                    .create()
                    .withAccountHolderName("Cover Age")
                    .withAccountNumber("55779911")
                    .withBranchCode("200000")
                    .withCountryCode("GB")
                    .withLinksCustomer(customer.getId())
                    .execute());
    assertThat(exists.getCode()).isEqualTo(409);
    assertThat(exists.getErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("bank_account_exists");
              assertThat(e.getLinks()).containsEntry("customer_bank_account", account.getId());
            });

    Mandate mandate =
        client
            .mandates()
            .create()
            .withLinksCustomerBankAccount(account.getId())
            .withScheme("bacs")
            .execute();
    assertThat(mandate.getStatus()).isEqualTo(Mandate.Status.PENDING_SUBMISSION);
    assertThat(
            client
                .mandates()
                .update(mandate.getId())
                .withMetadata("m", "1")
                .execute()
                .getMetadata())
        .containsEntry("m", "1");

    assertThat(client.customerBankAccounts().disable(account.getId()).execute().getEnabled())
        .isFalse();
    assertThat(client.mandates().get(mandate.getId()).execute().getStatus())
        .isEqualTo(Mandate.Status.CANCELLED);
    // Once disabled, the same details can be added again (docs/gocardless/API.md §4.2).
    assertThat(
            client
                .customerBankAccounts()
                .create()
                .withAccountHolderName("Cover Age")
                .withIban("GB60BARC20000055779911")
                .withLinksCustomer(customer.getId())
                .execute()
                .getId())
        .isNotEqualTo(account.getId());
    assertThatThrownBy(() -> client.customerBankAccounts().disable(account.getId()).execute())
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("already been disabled");

    client.customers().remove(customer.getId()).execute();
    assertThatThrownBy(() -> client.customers().get(customer.getId()).execute())
        .isInstanceOf(InvalidApiUsageException.class);
    assertThat(client.customers().list().execute().getItems())
        .extracting(Customer::getId)
        .doesNotContain(customer.getId());
  }

  @Test
  void billingRequestSideActionsAndInstitutions() {
    SimulatedOrganisation org = SIM.createOrganisation("Side Actions Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    List<Institution> gb = client.institutions().list().withCountryCode("GB").execute().getItems();
    assertThat(gb).extracting(Institution::getId).contains("monzo", "barclays");

    BillingRequest mandateOnly =
        client.billingRequests().create().withMandateRequestDescription("any currency").execute();
    assertThat(mandateOnly.getActions())
        .filteredOn(a -> a.getType() == BillingRequest.Action.Type.CHOOSE_CURRENCY)
        .singleElement()
        .satisfies(a -> assertThat(a.getStatus()).isEqualTo(BillingRequest.Action.Status.PENDING));
    BillingRequest euro =
        client.billingRequests().chooseCurrency(mandateOnly.getId()).withCurrency("EUR").execute();
    assertThat(euro.getMandateRequest().getScheme()).isEqualTo("sepa_core");

    BillingRequest payByBank =
        client
            .billingRequests()
            .create()
            .withPaymentRequestAmount(999)
            .withPaymentRequestCurrency("GBP")
            .withFallbackEnabled(true)
            .execute();
    BillingRequestFlow flow =
        client.billingRequestFlows().create().withLinksBillingRequest(payByBank.getId()).execute();
    assertThat(flow.getSessionToken()).isNull();
    assertThat(client.billingRequestFlows().initialise(flow.getId()).execute().getSessionToken())
        .startsWith("sesh_");
    List<Institution> forRequest =
        StreamSupport.stream(
                client
                    .institutions()
                    .listForBillingRequest(payByBank.getId())
                    .withCountryCode("GB")
                    .execute()
                    .spliterator(),
                false)
            .toList();
    assertThat(forRequest).hasSameSizeAs(gb);

    client
        .billingRequests()
        .collectCustomerDetails(payByBank.getId())
        .withCustomerGivenName("Pay")
        .withCustomerFamilyName("Bank")
        .withCustomerEmail("pay@example.com")
        .execute();
    assertThat(
            client
                .billingRequests()
                .notify(payByBank.getId())
                .withNotificationType("email")
                .execute()
                .getId())
        .isEqualTo(payByBank.getId());
    BillingRequest fellBack = client.billingRequests().fallback(payByBank.getId()).execute();
    assertThat(fellBack.getFallbackOccurred()).isTrue();
    assertThat(fellBack.getMandateRequest()).isNotNull();
    assertThat(fellBack.getActions())
        .extracting(a -> a.getType())
        .doesNotContain(BillingRequest.Action.Type.BANK_AUTHORISATION);

    assertThat(client.billingRequests().list().withStatus("pending").execute().getItems())
        .extracting(BillingRequest::getId)
        .contains(payByBank.getId(), mandateOnly.getId());
    assertThat(client.billingRequests().cancel(mandateOnly.getId()).execute().getStatus())
        .isEqualTo(BillingRequest.Status.CANCELLED);
  }

  @Test
  void everyScenarioSimulatorRuns() {
    SimulatedOrganisation org = SIM.createOrganisation("Scenarios Ltd", "in_review");
    GoCardlessClient client = client(org.accessToken());
    int eventCount = 0;
    for (String scenario : SIM.supportedScenarios()) {
      String resource;
      if (scenario.startsWith("creditor_")) {
        resource = org.creditorId();
      } else if (scenario.startsWith("mandate_")) {
        resource = Fixtures.pendingMandate(client, "Scen").getId();
      } else if (scenario.startsWith("payment_")) {
        Mandate mandate = Fixtures.pendingMandate(client, "Pay");
        resource =
            client
                .payments()
                .create()
                .withAmount(100)
                .withCurrency(Currency.GBP)
                .withLinksMandate(mandate.getId())
                .execute()
                .getId();
      } else if (scenario.startsWith("refund_")) {
        Mandate mandate = Fixtures.pendingMandate(client, "Refund");
        String paymentId =
            client
                .payments()
                .create()
                .withAmount(100)
                .withCurrency(Currency.GBP)
                .withLinksMandate(mandate.getId())
                .execute()
                .getId();
        client.scenarioSimulators().run("payment_paid_out").withLinksResource(paymentId).execute();
        resource =
            client.refunds().create().withAmount(100).withLinksPayment(paymentId).execute().getId();
      } else {
        BillingRequest brq =
            client
                .billingRequests()
                .create()
                .withPaymentRequestAmount(100)
                .withPaymentRequestCurrency("GBP")
                .execute();
        client
            .billingRequests()
            .collectCustomerDetails(brq.getId())
            .withCustomerGivenName("Scen")
            .withCustomerFamilyName("Ario")
            .withCustomerEmail("s@example.com")
            .execute();
        resource = brq.getId();
      }
      assertThat(
              client
                  .scenarioSimulators()
                  .run(scenario)
                  .withLinksResource(resource)
                  .execute()
                  .getId())
          .as(scenario)
          .isEqualTo(scenario);
      int before = eventCount;
      eventCount = client.events().list().withLimit(500).execute().getItems().size();
      assertThat(eventCount).as(scenario + " emits events").isGreaterThan(before);
    }
    assertThat(client.creditors().get(org.creditorId()).execute().getVerificationStatus())
        .isEqualTo(Creditor.VerificationStatus.SUCCESSFUL);
    Payment anyPaidOut =
        client
            .payments()
            .list()
            .withStatus(com.gocardless.services.PaymentService.PaymentListRequest.Status.PAID_OUT)
            .execute()
            .getItems()
            .getFirst();
    assertThat(client.payouts().list().execute().getItems())
        .extracting(p -> p.getId())
        .contains(anyPaidOut.getLinks().getPayout());
    assertThat(
            client
                .payments()
                .update(anyPaidOut.getId())
                .withMetadata("x", "y")
                .execute()
                .getMetadata())
        .containsEntry("x", "y");
    Event first = client.events().list().execute().getItems().getFirst();
    assertThat(client.events().get(first.getId()).execute().getAction())
        .isEqualTo(first.getAction());
    List<Event> all = client.events().list().withLimit(500).execute().getItems();
    Event middle = all.get(all.size() / 2);
    List<Event> later =
        client
            .events()
            .list()
            .withLimit(500)
            .withCreatedAtGt(middle.getCreatedAt())
            .execute()
            .getItems();
    assertThat(later)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getCreatedAt()).isGreaterThan(middle.getCreatedAt()));
    assertThat(later.size()).isLessThan(all.size());
    assertThat(
            client
                .events()
                .list()
                .withResourceType(
                    com.gocardless.services.EventService.EventListRequest.ResourceType.MANDATES)
                .execute()
                .getItems())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getResourceType()).isEqualTo(Event.ResourceType.MANDATES));
    assertThatThrownBy(
            () ->
                client.scenarioSimulators().run("refund_paid").withLinksResource("RF123").execute())
        .isInstanceOf(InvalidApiUsageException.class);
  }
}
