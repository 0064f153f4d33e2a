package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static io.paybridge.simulator.TestSimulator.location;
import static io.paybridge.simulator.TestSimulator.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.BillingRequestWithAction;
import com.gocardless.resources.Payment;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.CollectBankAccount;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.CollectCustomerDetails;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.ConfirmPayerDetails;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.Customer;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.CustomerBillingDetail;
import com.gocardless.services.BillingRequestWithActionService.BillingRequestWithActionCreateWithActionsRequest.SelectInstitution;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /billing_requests/create_with_actions} through the official client (API.md §3.8). */
@ExtendWith(TestSimulator.class)
class CreateWithActionsTest {
  private static GoCardlessClient client;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("With Actions Ltd", "successful").accessToken());
  }

  private static CollectCustomerDetails details(String given, String family) {
    return new CollectCustomerDetails()
        .withCustomer(
            new Customer()
                .withGivenName(given)
                .withFamilyName(family)
                .withEmail(given.toLowerCase() + "@example.com"))
        .withCustomerBillingDetail(
            new CustomerBillingDetail()
                .withAddressLine1("1 Action Street")
                .withCity("London")
                .withPostalCode("E1 1AA")
                .withCountryCode("GB"));
  }

  @Test
  void aPaymentRequestWithItsBankAuthorisation() {
    BillingRequestWithAction created =
        client
            .billingRequestWithActions()
            .createWithActions()
            .withPaymentRequestAmount(1000)
            .withPaymentRequestCurrency("GBP")
            .withPaymentRequestDescription("Top-up")
            .withActionsCollectCustomerDetails(details("Ivy", "Action"))
            .withActionsSelectInstitution(
                new SelectInstitution().withInstitution("monzo").withCountryCode("GB"))
            .withActionsCreateBankAuthorisation(true)
            .withActionsBankAuthorisationRedirectUri("https://merchant.example/back")
            .execute();
    String brqId = created.getBillingRequests().getId();
    assertThat(created.getBillingRequests().getStatus().name()).isEqualTo("PENDING");
    assertThat(created.getBankAuthorisations().getLinks().getBillingRequest()).isEqualTo(brqId);
    assertThat(
            location(
                postForm(
                    created.getBankAuthorisations().getUrl(), Map.of("decision", "authorise"))))
        .isEqualTo("https://merchant.example/back?outcome=success");
    BillingRequest ready = client.billingRequests().get(brqId).execute();
    assertThat(ready.getStatus()).isEqualTo(BillingRequest.Status.READY_TO_FULFIL);
    BillingRequest fulfilled = client.billingRequests().fulfil(brqId).execute();
    Payment payment =
        client.payments().get(fulfilled.getLinks().getPaymentRequestPayment()).execute();
    assertThat(payment.getAmount()).isEqualTo(1000);
    assertThat(payment.getDescription()).isEqualTo("Top-up");
  }

  @Test
  void aMandateRequestReadyToFulfilInOneCall() {
    BillingRequestWithAction created =
        client
            .billingRequestWithActions()
            .createWithActions()
            .withMandateRequestScheme("bacs")
            .withActionsCollectCustomerDetails(details("Jon", "Action"))
            .withActionsCollectBankAccount(
                new CollectBankAccount()
                    .withAccountHolderName("Jon Action")
                    .withAccountNumber("55779911")
                    .withBranchCode("200000")
                    .withCountryCode("GB"))
            .withActionsConfirmPayerDetails(new ConfirmPayerDetails())
            .execute();
    assertThat(created.getBillingRequests().getStatus().name()).isEqualTo("READY_TO_FULFIL");
    assertThat(created.getBankAuthorisations()).isNull();
    BillingRequest fulfilled =
        client.billingRequests().fulfil(created.getBillingRequests().getId()).execute();
    assertThat(fulfilled.getLinks().getMandateRequestMandate()).startsWith("MD");
  }

  @Test
  void anActionsErrorIsThatActionsError() {
    ValidationFailedException e =
        assertThrows(
            ValidationFailedException.class,
            () ->
                client
                    .billingRequestWithActions()
                    .createWithActions()
                    .withMandateRequestScheme("bacs")
                    .withActionsCollectCustomerDetails(details("Kim", "Action"))
                    .withActionsCollectBankAccount(
                        new CollectBankAccount()
                            .withAccountHolderName("Somebody Else")
                            .withAccountNumber("55779911")
                            .withBranchCode("200000")
                            .withCountryCode("GB"))
                    .execute());
    assertThat(e.getErrors()).extracting(x -> x.getField()).containsExactly("account_holder_name");
  }
}
