package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.RECEIVER;
import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static io.paybridge.simulator.TestSimulator.get;
import static io.paybridge.simulator.TestSimulator.location;
import static io.paybridge.simulator.TestSimulator.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.BillingRequestFlow;
import com.gocardless.resources.CustomerBankAccount;
import com.gocardless.resources.Event;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.resources.Payout;
import com.gocardless.services.BillingRequestService.BillingRequestCreateRequest.MandateRequest.Verify;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The main payer journey through the official client and the hosted pages: billing request → flow →
 * hosted page → fulfilled → mandate active → payments confirmed → paid out, with every event
 * delivered as a signed webhook.
 */
@ExtendWith(TestSimulator.class)
class BillingJourneyTest {

  @Test
  void billingRequestThroughHostedPageToPaidOut() {
    SimulatedOrganisation org = SIM.createOrganisation("Journey Yoga", "successful");
    GoCardlessClient client = client(org.accessToken());

    BillingRequest brq =
        client
            .billingRequests()
            .create()
            .withMandateRequestScheme("bacs")
            .withMandateRequestCurrency("GBP")
            .withMandateRequestVerify(Verify.RECOMMENDED)
            .withMandateRequestDescription("Gold plan monthly")
            .withMandateRequestMetadata(Map.of("plan", "gold"))
            .withPaymentRequestAmount(1500)
            .withPaymentRequestCurrency("GBP")
            .withPaymentRequestDescription("First month")
            .withPaymentRequestAppFee(50)
            .withMetadata("invoice_ref", "INV-1001")
            .execute();
    assertThat(brq.getId()).matches("BRQ[0-9A-Z]{12}");
    assertThat(brq.getStatus()).isEqualTo(BillingRequest.Status.PENDING);
    assertThat(brq.getLinks().getOrganisation()).isEqualTo(org.organisationId());
    assertThat(brq.getLinks().getCreditor()).isEqualTo(org.creditorId());
    assertThat(brq.getActions())
        .extracting(a -> a.getType().name())
        .contains(
            "COLLECT_CUSTOMER_DETAILS",
            "SELECT_INSTITUTION",
            "COLLECT_BANK_ACCOUNT",
            "BANK_AUTHORISATION",
            "CONFIRM_PAYER_DETAILS");

    BillingRequestFlow flow =
        client
            .billingRequestFlows()
            .create()
            .withLinksBillingRequest(brq.getId())
            .withRedirectUri("https://partner.example.com/return?brq=" + brq.getId())
            .withExitUri("https://partner.example.com/exit")
            .withPrefilledCustomerGivenName("Frank")
            .withPrefilledCustomerFamilyName("Osborne")
            .withPrefilledCustomerEmail("frank.osborne@example.com")
            .execute();
    assertThat(flow.getId()).startsWith("BRF");
    assertThat(flow.getAuthorisationUrl())
        .isEqualTo(SIM.baseUrl() + "/billing/static/flow?id=" + flow.getId());
    assertThat(flow.getExpiresAt()).isGreaterThan(flow.getCreatedAt());

    // The payer's side: plain HTML forms over HTTP.
    HttpResponse<String> page = get(flow.getAuthorisationUrl());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"customer_details\"").contains("value=\"Frank\"");
    String form = "/billing/static/flow/%s?id=" + flow.getId();
    HttpResponse<String> step =
        postForm(
            String.format(form, "customer_details"),
            Map.of(
                "given_name", "Frank",
                "family_name", "Osborne",
                "email", "frank.osborne@example.com",
                "address_line1", "27 Acer Road",
                "city", "London",
                "postal_code", "E8 3GX",
                "country_code", "GB"));
    assertThat(step.statusCode()).isEqualTo(303);
    assertThat(get(location(step)).body())
        .contains("id=\"institution\"")
        .contains("value=\"monzo\"");
    step = postForm(String.format(form, "institution"), Map.of("institution", "monzo"));
    assertThat(get(location(step)).body()).contains("id=\"bank_authorisation\"");
    step = postForm(String.format(form, "bank_authorisation"), Map.of("decision", "authorise"));
    assertThat(get(location(step)).body()).contains("id=\"confirm\"");
    step = postForm(String.format(form, "confirm"), Map.of());
    HttpResponse<String> done = get(location(step));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(location(done)).isEqualTo("https://partner.example.com/return?brq=" + brq.getId());

    BillingRequest fulfilled = client.billingRequests().get(brq.getId()).execute();
    assertThat(fulfilled.getStatus()).isEqualTo(BillingRequest.Status.FULFILLED);
    String mandateId = fulfilled.getLinks().getMandateRequestMandate();
    String instantPaymentId = fulfilled.getLinks().getPaymentRequestPayment();
    assertThat(fulfilled.getMandateRequest().getLinks().getMandate()).isEqualTo(mandateId);
    assertThat(fulfilled.getResources().getCustomer().getGivenName()).isEqualTo("Frank");
    assertThat(fulfilled.getResources().getCustomerBankAccount().getAccountHolderName())
        .isEqualTo("FRANK OSBORNE");

    Mandate mandate = client.mandates().get(mandateId).execute();
    assertThat(mandate.getStatus()).isEqualTo(Mandate.Status.PENDING_SUBMISSION);
    assertThat(mandate.getScheme()).isEqualTo("bacs");
    assertThat(mandate.getMetadata()).containsEntry("plan", "gold");
    CustomerBankAccount account =
        client.customerBankAccounts().get(mandate.getLinks().getCustomerBankAccount()).execute();
    assertThat(account.getEnabled()).isTrue();

    Payment instant = client.payments().get(instantPaymentId).execute();
    assertThat(instant.getStatus()).isEqualTo(Payment.Status.PENDING_SUBMISSION);
    assertThat(instant.getAmount()).isEqualTo(1500);
    assertThat(instant.getAppFee()).isEqualTo(50);

    SIM.clock().advance(Duration.ofDays(7));

    assertThat(client.mandates().get(mandateId).execute().getStatus())
        .isEqualTo(Mandate.Status.ACTIVE);
    instant = client.payments().get(instantPaymentId).execute();
    assertThat(instant.getStatus()).isEqualTo(Payment.Status.PAID_OUT);
    Payout payout = client.payouts().get(instant.getLinks().getPayout()).execute();
    assertThat(payout.getAmount()).isEqualTo(1500 - 50 - 20);
    assertThat(payout.getStatus()).isEqualTo(Payout.Status.PAID);

    // A Direct Debit payment on the new mandate, driven by the simulated clock.
    Mandate active = client.mandates().get(mandateId).execute();
    Payment dd =
        client
            .payments()
            .create()
            .withAmount(2500)
            .withCurrency(Currency.GBP)
            .withLinksMandate(mandateId)
            .withMetadata("order", "42")
            .execute();
    assertThat(dd.getStatus()).isEqualTo(Payment.Status.PENDING_SUBMISSION);
    assertThat(dd.getChargeDate()).isEqualTo(active.getNextPossibleChargeDate());
    assertThat(dd.getLinks().getMandate()).isEqualTo(mandateId);

    SIM.clock().advanceTo(LocalDate.parse(dd.getChargeDate()));
    assertThat(client.payments().get(dd.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.CONFIRMED);
    SIM.clock().advance(Duration.ofDays(4));
    assertThat(client.payments().get(dd.getId()).execute().getStatus())
        .isEqualTo(Payment.Status.PAID_OUT);

    List<String> actions =
        client.events().list().withPayment(dd.getId()).execute().getItems().stream()
            .map(Event::getAction)
            .toList();
    assertThat(actions).containsExactly("paid_out", "confirmed", "submitted", "created");

    List<Event> brqEvents =
        java.util.stream.StreamSupport.stream(
                client.events().all().withBillingRequest(brq.getId()).execute().spliterator(),
                false)
            .toList()
            .reversed();
    assertThat(brqEvents)
        .extracting(Event::getAction)
        .containsSubsequence(
            "created",
            "flow_created",
            "flow_visited",
            "collect_customer_details",
            "select_institution",
            "bank_authorisation_authorised",
            "payer_details_confirmed",
            "fulfilled");
    Event fulfilledEvent =
        brqEvents.stream().filter(e -> e.getAction().equals("fulfilled")).findFirst().orElseThrow();
    assertThat(fulfilledEvent.getLinks().getMandateRequestMandate()).isEqualTo(mandateId);
    assertThat(fulfilledEvent.getLinks().getPaymentRequestPayment()).isEqualTo(instantPaymentId);
    assertThat(fulfilledEvent.getResourceMetadata()).containsEntry("invoice_ref", "INV-1001");

    // Every event of this organisation arrives as a signed webhook that the official parser
    // accepts.
    Set<String> eventIds =
        java.util.stream.StreamSupport.stream(client.events().all().execute().spliterator(), false)
            .map(Event::getId)
            .collect(Collectors.toSet());
    assertThat(eventIds).hasSizeGreaterThan(20);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(RECEIVER.events().stream().map(Event::getId).collect(Collectors.toSet()))
                    .containsAll(eventIds));
    assertThat(RECEIVER.received())
        .allSatisfy(
            r -> {
              assertThat(r.contentType()).isEqualTo("application/json");
              assertThat(r.userAgent()).isEqualTo("gocardless-webhook-service/1.2");
              assertThat(r.origin()).isEqualTo("https://api-sandbox.gocardless.com");
              assertThat(r.signature()).matches("[0-9a-f]{64}");
            });
    assertThat(RECEIVER.events())
        .filteredOn(e -> eventIds.contains(e.getId()))
        .allSatisfy(
            e -> assertThat(e.getLinks().getOrganisation()).isEqualTo(org.organisationId()));
  }

  @Test
  void mandateOnlyRequestCompletedThroughTheApiActions() {
    SimulatedOrganisation org = SIM.createOrganisation("Actions Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    BillingRequest brq =
        client.billingRequests().create().withMandateRequestScheme("bacs").execute();
    assertThat(brq.getActions())
        .extracting(a -> a.getType().name())
        .doesNotContain("BANK_AUTHORISATION", "SELECT_INSTITUTION");

    client
        .billingRequests()
        .collectCustomerDetails(brq.getId())
        .withCustomerGivenName("Ada")
        .withCustomerFamilyName("Lovelace")
        .withCustomerEmail("ada@example.com")
        .withCustomerBillingDetailAddressLine1("1 Analytical Way")
        .withCustomerBillingDetailCity("London")
        .withCustomerBillingDetailPostalCode("N1 1AA")
        .withCustomerBillingDetailCountryCode("GB")
        .execute();
    client
        .billingRequests()
        .collectBankAccount(brq.getId())
        .withAccountHolderName("Ada Lovelace")
        .withAccountNumber("55779911")
        .withBranchCode("200000")
        .withCountryCode("GB")
        .execute();
    BillingRequest confirmed = client.billingRequests().confirmPayerDetails(brq.getId()).execute();
    assertThat(confirmed.getStatus()).isEqualTo(BillingRequest.Status.READY_TO_FULFIL);
    assertThat(confirmed.getResources().getCustomerBankAccount().getBankName())
        .isEqualTo("BARCLAYS BANK PLC");

    BillingRequest fulfilled = client.billingRequests().fulfil(brq.getId()).execute();
    assertThat(fulfilled.getStatus()).isEqualTo(BillingRequest.Status.FULFILLED);
    Mandate mandate =
        client.mandates().get(fulfilled.getLinks().getMandateRequestMandate()).execute();
    assertThat(mandate.getStatus()).isEqualTo(Mandate.Status.PENDING_SUBMISSION);
    assertThat(mandate.getVerifiedAt()).isNull();
    assertThat(
            client
                .mandates()
                .list()
                .withCustomer(fulfilled.getLinks().getCustomer())
                .execute()
                .getItems())
        .extracting(Mandate::getId)
        .containsExactly(mandate.getId());
  }

  @Test
  void verifyAlwaysAddsABankAuthorisationAndVerifiesTheMandate() {
    SimulatedOrganisation org = SIM.createOrganisation("Verified Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    BillingRequest brq =
        client
            .billingRequests()
            .create()
            .withMandateRequestScheme("bacs")
            .withMandateRequestVerify(Verify.ALWAYS)
            .execute();
    assertThat(brq.getActions())
        .filteredOn(a -> a.getType().name().equals("BANK_AUTHORISATION"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getBankAuthorisation().getAuthorisationType().name())
                    .isEqualTo("MANDATE"));
    BillingRequestFlow flow =
        client.billingRequestFlows().create().withLinksBillingRequest(brq.getId()).execute();
    String form = "/billing/static/flow/%s?id=" + flow.getId();
    get(flow.getAuthorisationUrl());
    postForm(
        String.format(form, "customer_details"),
        Map.of(
            "given_name", "Grace",
            "family_name", "Hopper",
            "email", "grace@example.com",
            "address_line1", "1 Cobol Street",
            "city", "London",
            "postal_code", "E1 1AA",
            "country_code", "GB"));
    postForm(String.format(form, "institution"), Map.of("institution", "barclays"));
    HttpResponse<String> bank =
        postForm(
            String.format(form, "bank_account"),
            Map.of(
                "account_holder_name", "Grace Hopper",
                "branch_code", "20-00-00",
                "account_number", "55779911"));
    assertThat(get(location(bank)).body()).contains("id=\"bank_authorisation\"");
    postForm(String.format(form, "bank_authorisation"), Map.of("decision", "authorise"));
    HttpResponse<String> confirm = postForm(String.format(form, "confirm"), Map.of());
    HttpResponse<String> done = get(location(confirm));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body()).contains("id=\"success\"");

    BillingRequest fulfilled = client.billingRequests().get(brq.getId()).execute();
    assertThat(fulfilled.getStatus()).isEqualTo(BillingRequest.Status.FULFILLED);
    assertThat(
            client
                .mandates()
                .get(fulfilled.getLinks().getMandateRequestMandate())
                .execute()
                .getVerifiedAt())
        .isNotNull();
  }

  @Test
  void payerErrorsAreShownOnThePageAndExitSendsThePayerToExitUri() {
    SimulatedOrganisation org = SIM.createOrganisation("Exit Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    BillingRequest brq =
        client.billingRequests().create().withMandateRequestScheme("bacs").execute();
    BillingRequestFlow flow =
        client
            .billingRequestFlows()
            .create()
            .withLinksBillingRequest(brq.getId())
            .withExitUri("https://partner.example.com/exit")
            .execute();
    HttpResponse<String> invalid =
        postForm(
            "/billing/static/flow/customer_details?id=" + flow.getId(),
            Map.of("given_name", "Only", "email", "not-an-email"));
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body()).contains("id=\"errors\"").contains("is not a valid email address");

    HttpResponse<String> exit = get("/billing/static/flow/exit?id=" + flow.getId());
    assertThat(exit.statusCode()).isEqualTo(303);
    assertThat(location(exit)).isEqualTo("https://partner.example.com/exit");
    assertThat(client.events().list().withBillingRequest(brq.getId()).execute().getItems())
        .extracting(Event::getAction)
        .contains("flow_exited");

    client.billingRequests().cancel(brq.getId()).execute();
    assertThat(get(flow.getAuthorisationUrl()).statusCode()).isEqualTo(410);
  }
}
