package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static io.paybridge.simulator.TestSimulator.get;
import static io.paybridge.simulator.TestSimulator.location;
import static io.paybridge.simulator.TestSimulator.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.BankAccountHolderVerification;
import com.gocardless.resources.BankAuthorisation;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.Customer;
import com.gocardless.resources.CustomerBankAccount;
import com.gocardless.resources.Event;
import com.gocardless.services.BillingRequestService.BillingRequestCreateRequest.MandateRequest.Verify;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each {@code verify} level (docs/gocardless/API.md §3.9) and bank authorisations through the API
 * (§3.6): {@code when_available}/{@code always} add an AIS bank step where a mechanism exists,
 * {@code always} fails where none does, a mandate authorised at the bank is verified; and holder
 * name checks (Confirmation of Payee).
 */
@ExtendWith(TestSimulator.class)
class PayerVerificationTest {
  private static final String REDIRECT = "https://merchant.example/bank-done";
  private static GoCardlessClient client;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("Verification Ltd", "successful").accessToken());
  }

  private static BillingRequest mandateRequest(String scheme, Verify verify) {
    return client
        .billingRequests()
        .create()
        .withMandateRequestScheme(scheme)
        .withMandateRequestVerify(verify)
        .execute();
  }

  private static boolean hasBankStep(BillingRequest brq) {
    return brq.getActions().stream().anyMatch(a -> a.getType().name().equals("BANK_AUTHORISATION"));
  }

  @Test
  void levelsAddABankStepOnlyWhereAMechanismExists() {
    assertThat(hasBankStep(mandateRequest("bacs", Verify.MINIMUM))).isFalse();
    assertThat(hasBankStep(mandateRequest("bacs", Verify.RECOMMENDED))).isFalse();
    assertThat(hasBankStep(mandateRequest("bacs", Verify.WHEN_AVAILABLE))).isTrue();
    assertThat(hasBankStep(mandateRequest("bacs", Verify.ALWAYS))).isTrue();
    assertThat(hasBankStep(mandateRequest("becs", Verify.WHEN_AVAILABLE))).isFalse();
    for (String scheme : new String[] {"becs", "becs_nz", "betalingsservice", "pad"}) {
      ValidationFailedException e =
          assertThrows(
              ValidationFailedException.class, () -> mandateRequest(scheme, Verify.ALWAYS));
      assertThat(e.getErrors()).as(scheme).extracting(x -> x.getField()).containsExactly("verify");
    }
  }

  /** A verify=when_available Bacs request with details and bank account collected via the API. */
  private static BillingRequest readyForTheBank(String name) {
    BillingRequest brq = mandateRequest("bacs", Verify.WHEN_AVAILABLE);
    client
        .billingRequests()
        .collectCustomerDetails(brq.getId())
        .withCustomerGivenName(name)
        .withCustomerFamilyName("Payer")
        .withCustomerEmail("payer@example.com")
        .withCustomerBillingDetailAddressLine1("1 Bank Street")
        .withCustomerBillingDetailCity("London")
        .withCustomerBillingDetailPostalCode("E1 1AA")
        .withCustomerBillingDetailCountryCode("GB")
        .execute();
    client.billingRequests().selectInstitution(brq.getId()).withInstitution("barclays").execute();
    return client
        .billingRequests()
        .collectBankAccount(brq.getId())
        .withAccountHolderName(name + " Payer")
        .withAccountNumber("55779911")
        .withBranchCode("200000")
        .withCountryCode("GB")
        .execute();
  }

  private static BankAuthorisation bankAuthorisation(BillingRequest brq) {
    return client
        .bankAuthorisations()
        .create()
        .withRedirectUri(REDIRECT)
        .withLinksBillingRequest(brq.getId())
        .execute();
  }

  @Test
  void authorisingAtTheBankVerifiesTheMandate() {
    BillingRequest brq = readyForTheBank("Ada");
    BankAuthorisation b = bankAuthorisation(brq);
    assertThat(b.getId()).startsWith("BAU");
    assertThat(b.getAuthorisationType().name()).isEqualTo("MANDATE");
    assertThat(b.getLinks().getBillingRequest()).isEqualTo(brq.getId());
    assertThat(b.getLinks().getInstitution()).isEqualTo("barclays");
    assertThat(b.getRedirectUri()).isEqualTo(REDIRECT);
    assertThat(Duration.between(Instant.parse(b.getCreatedAt()), Instant.parse(b.getExpiresAt())))
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(b.getAuthorisedAt()).isNull();

    assertThat(get(b.getUrl()).statusCode()).isEqualTo(200);
    HttpResponse<String> back = postForm(b.getUrl(), Map.of("decision", "authorise"));
    assertThat(back.statusCode()).isEqualTo(303);
    assertThat(location(back)).isEqualTo(REDIRECT + "?outcome=success");
    BankAuthorisation after = client.bankAuthorisations().get(b.getId()).execute();
    assertThat(after.getAuthorisedAt()).isNotNull();
    assertThat(after.getLastVisitedAt()).isNotNull();

    BillingRequest authorised = client.billingRequests().get(brq.getId()).execute();
    assertThat(authorised.getLinks().getBankAuthorisation()).isEqualTo(b.getId());
    client.billingRequests().confirmPayerDetails(brq.getId()).execute();
    BillingRequest fulfilled = client.billingRequests().fulfil(brq.getId()).execute();
    assertThat(
            client
                .mandates()
                .get(fulfilled.getLinks().getMandateRequestMandate())
                .execute()
                .getVerifiedAt())
        .isNotNull();
    assertThat(client.events().list().withBillingRequest(brq.getId()).execute().getItems())
        .filteredOn(e -> e.getAction().equals("bank_authorisation_authorised"))
        .singleElement()
        .satisfies(e -> assertThat(e.getLinks().getBankAuthorisation()).isEqualTo(b.getId()));
  }

  @Test
  void refusingOrTimingOutLeavesTheStepPending() {
    BillingRequest brq = readyForTheBank("Bob");
    BankAuthorisation denied = bankAuthorisation(brq);
    assertThat(location(postForm(denied.getUrl(), Map.of("decision", "deny"))))
        .isEqualTo(REDIRECT + "?outcome=failure");
    BankAuthorisation late = bankAuthorisation(brq);
    SIM.clock().advance(Duration.ofMinutes(16));
    assertThat(location(postForm(late.getUrl(), Map.of("decision", "authorise"))))
        .isEqualTo(REDIRECT + "?outcome=timeout");
    BillingRequest still = client.billingRequests().get(brq.getId()).execute();
    assertThat(still.getStatus()).isEqualTo(BillingRequest.Status.PENDING);
    assertThat(hasPendingBankStep(still)).isTrue();
    assertThat(client.events().list().withBillingRequest(brq.getId()).execute().getItems())
        .extracting(Event::getAction)
        .contains("bank_authorisation_denied", "bank_authorisation_expired")
        .doesNotContain("bank_authorisation_authorised");
  }

  private static boolean hasPendingBankStep(BillingRequest brq) {
    return brq.getActions().stream()
        .anyMatch(
            a ->
                a.getType().name().equals("BANK_AUTHORISATION")
                    && a.getStatus().name().equals("PENDING"));
  }

  @Test
  void theBankStepNeedsItsPrerequisites() {
    BillingRequest brq = mandateRequest("bacs", Verify.ALWAYS);
    InvalidStateException e =
        assertThrows(InvalidStateException.class, () -> bankAuthorisation(brq));
    assertThat(e.getErrors())
        .extracting(x -> x.getReason())
        .containsExactly("required_actions_not_completed");
    BillingRequest plain = mandateRequest("bacs", Verify.MINIMUM);
    InvalidStateException none =
        assertThrows(InvalidStateException.class, () -> bankAuthorisation(plain));
    assertThat(none.getErrors())
        .extracting(x -> x.getReason())
        .containsExactly("action_not_available");
  }

  @Test
  void holderNameChecksCompareTheNameWithTheOneTheBankHolds() {
    Customer grace =
        client
            .customers()
            .create()
            .withGivenName("Grace")
            .withFamilyName("Hopper")
            .withEmail("grace@example.com")
            .execute();
    assertThat(check(account(grace, "Grace Hopper", "11111111")).getResult())
        .isEqualTo(BankAccountHolderVerification.Result.FULL_MATCH);
    BankAccountHolderVerification partial = check(account(grace, "G Hopper", "22222222"));
    assertThat(partial.getResult()).isEqualTo(BankAccountHolderVerification.Result.PARTIAL_MATCH);
    assertThat(partial.getActualAccountName()).isEqualTo("GRACE HOPPER");
    assertThat(check(account(grace, "John Smith", "33333333")).getResult())
        .isEqualTo(BankAccountHolderVerification.Result.NO_MATCH);
    CustomerBankAccount german =
        client
            .customerBankAccounts()
            .create()
            .withAccountHolderName("Grace Hopper")
            .withIban("DE89370400440532013000")
            .withLinksCustomer(grace.getId())
            .execute();
    BankAccountHolderVerification abroad = check(german.getId());
    assertThat(abroad.getResult()).isEqualTo(BankAccountHolderVerification.Result.UNABLE_TO_MATCH);
    assertThat(abroad.getStatus()).isEqualTo(BankAccountHolderVerification.Status.COMPLETED);
    assertThat(client.bankAccountHolderVerifications().get(abroad.getId()).execute().getId())
        .isEqualTo(abroad.getId());
  }

  private static String account(Customer customer, String holder, String number) {
    return client
        .customerBankAccounts()
        .create()
        .withAccountHolderName(holder)
        .withAccountNumber(number)
        .withBranchCode("200000")
        .withCountryCode("GB")
        .withLinksCustomer(customer.getId())
        .execute()
        .getId();
  }

  private static BankAccountHolderVerification check(String accountId) {
    return client
        .bankAccountHolderVerifications()
        .create()
        .withType(
            com.gocardless.services.BankAccountHolderVerificationService
                .BankAccountHolderVerificationCreateRequest.Type.CONFIRMATION_OF_PAYEE)
        .withLinksBankAccount(accountId)
        .execute();
  }
}
