package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.api;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * For every implemented endpoint, every field in the official client fixture's response
 * (examples/fixtures/gocardless-pro-python) is present in the simulator's response with the same
 * JSON type.
 *
 * <p>Rules (documented in the README): a field must be present; {@code null} is accepted where the
 * fixture has a value, because GoCardless sends null for unset optional attributes (examples 07,
 * 18); for arrays of objects, each fixture key must appear in at least one element (e.g.
 * type-specific keys of billing request actions). Two kinds of objects are sparse in GoCardless's
 * own responses and are checked only for the keys present: {@code links} (only existing links,
 * examples 07, 10, 18, 19) and an event's {@code details} (only keys that apply, examples 01–05);
 * events' optional {@code customer_notifications} and {@code source} are not sent; an instalment
 * schedule's {@code payment_errors} is keyed by the failing instalments only.
 */
@ExtendWith(TestSimulator.class)
class FixtureShapesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> SPARSE =
      Set.of("links", "metadata", "resource_metadata", "linked", "payment_errors");
  private static final Set<String> OPTIONAL_EVENT_KEYS = Set.of("customer_notifications", "source");

  private static SimulatedOrganisation org;
  private static String brqId;
  private static String flowId;
  private static String mandateId;
  private static String paymentId;
  private static String customerId;
  private static String bankAccountId;

  @BeforeAll
  static void journey() {
    org = SIM.createOrganisation("Shapes Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    BillingRequest brq =
        client
            .billingRequests()
            .create()
            .withMandateRequestScheme("bacs")
            .withPaymentRequestAmount(1000)
            .withPaymentRequestCurrency("GBP")
            .withPaymentRequestAppFee(100)
            .withPaymentRequestDescription("Top-up")
            .execute();
    brqId = brq.getId();
    flowId =
        client
            .billingRequestFlows()
            .create()
            .withLinksBillingRequest(brqId)
            .withRedirectUri("https://example.com/done")
            .execute()
            .getId();
    client
        .billingRequests()
        .collectCustomerDetails(brqId)
        .withCustomerGivenName("Frank")
        .withCustomerFamilyName("Osborne")
        .withCustomerEmail("frank@example.com")
        .withCustomerBillingDetailAddressLine1("221B Baker Street")
        .withCustomerBillingDetailCity("London")
        .withCustomerBillingDetailPostalCode("NW1 6XE")
        .withCustomerBillingDetailCountryCode("GB")
        .execute();
    client
        .scenarioSimulators()
        .run("billing_request_fulfilled_and_payment_paid_out")
        .withLinksResource(brqId)
        .execute();
    BillingRequest fulfilled = client.billingRequests().get(brqId).execute();
    mandateId = fulfilled.getLinks().getMandateRequestMandate();
    customerId = fulfilled.getLinks().getCustomer();
    bankAccountId = fulfilled.getLinks().getCustomerBankAccount();
    SIM.clock().advance(Duration.ofDays(6));
    Mandate mandate = client.mandates().get(mandateId).execute();
    Payment dd =
        client
            .payments()
            .create()
            .withAmount(2500)
            .withCurrency(Currency.GBP)
            .withLinksMandate(mandate.getId())
            .withAppFee(10)
            .withDescription("One-off upgrade fee")
            .withReference("WINEBOX001")
            .execute();
    client.scenarioSimulators().run("payment_paid_out").withLinksResource(dd.getId()).execute();
    paymentId = dd.getId();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                SIM.webhookDeliveries().stream()
                    .anyMatch(d -> d.organisationId().equals(org.organisationId())));
  }

  private static JsonNode fixture(String file, String action) throws IOException {
    return JSON.readTree(Files.readString(SharedDocs.fixtures().resolve(file + ".json")))
        .get(action)
        .get("body");
  }

  private static JsonNode call(String method, String path, String body) {
    HttpResponse<String> response = api(method, path, org.accessToken(), body);
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  private static void assertShape(String file, String action, JsonNode actual) throws IOException {
    List<String> problems = new ArrayList<>();
    compare(fixture(file, action), actual, "", problems, false);
    assertThat(problems).as(file + "." + action).isEmpty();
  }

  private static void compare(
      JsonNode expected, JsonNode actual, String path, List<String> problems, boolean sparse) {
    if (actual == null || actual.isMissingNode()) {
      problems.add(path + ": missing");
      return;
    }
    if (actual.isNull()) {
      return;
    }
    if (expected.isNull()) {
      return;
    }
    if (expected.isObject()) {
      if (!actual.isObject()) {
        problems.add(path + ": expected object, was " + actual.getNodeType());
        return;
      }
      boolean event = path.matches(".*events(\\[\\])?") || path.equals("/events");
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        String key = e.getKey();
        JsonNode value = actual.get(key);
        boolean childSparse = SPARSE.contains(key) || (event && key.equals("details"));
        if (value == null) {
          if (sparse || (event && OPTIONAL_EVENT_KEYS.contains(key))) {
            continue;
          }
          problems.add(path + "/" + key + ": missing");
          continue;
        }
        compare(e.getValue(), value, path + "/" + key, problems, childSparse);
      }
      return;
    }
    if (expected.isArray()) {
      if (!actual.isArray()) {
        problems.add(path + ": expected array, was " + actual.getNodeType());
        return;
      }
      if (expected.isEmpty() || actual.isEmpty()) {
        return;
      }
      JsonNode first = expected.get(0);
      if (first.isObject()) {
        // union semantics: every key of the fixture element must appear in some element
        for (Map.Entry<String, JsonNode> e : first.properties()) {
          JsonNode found = null;
          for (JsonNode element : actual) {
            if (element.has(e.getKey())) {
              found = element.get(e.getKey());
              break;
            }
          }
          boolean event = path.endsWith("events[]") || path.equals("/events");
          if (found == null) {
            if (event && OPTIONAL_EVENT_KEYS.contains(e.getKey())) {
              continue;
            }
            problems.add(path + "[]/" + e.getKey() + ": missing in every element");
            continue;
          }
          boolean childSparse =
              SPARSE.contains(e.getKey()) || (event && e.getKey().equals("details"));
          compare(e.getValue(), found, path + "[]/" + e.getKey(), problems, childSparse);
        }
      } else {
        for (JsonNode element : actual) {
          compare(first, element, path + "[]", problems, false);
        }
      }
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()
        && !(expected.isNumber() && actual.isNumber())) {
      problems.add(path + ": expected " + expected.getNodeType() + ", was " + actual.getNodeType());
    }
  }

  @Test
  void billingRequests() throws IOException {
    assertShape("billing_requests", "get", call("GET", "/billing_requests/" + brqId, null));
    assertShape("billing_requests", "list", call("GET", "/billing_requests", null));
    JsonNode created =
        call(
            "POST",
            "/billing_requests",
            "{\"billing_requests\":{\"mandate_request\":{\"scheme\":\"bacs\"},"
                + "\"payment_request\":{\"amount\":500,\"currency\":\"GBP\"}}}");
    assertShape("billing_requests", "create", created);
    String id = created.at("/billing_requests/id").asString();
    assertShape(
        "billing_requests",
        "select_institution",
        call(
            "POST",
            "/billing_requests/" + id + "/actions/select_institution",
            "{\"data\":{\"institution\":\"monzo\",\"country_code\":\"GB\"}}"));
    assertShape(
        "billing_requests",
        "cancel",
        call("POST", "/billing_requests/" + id + "/actions/cancel", "{\"data\":{}}"));
  }

  @Test
  void billingRequestFlowsAndInstitutions() throws IOException {
    assertShape(
        "billing_request_flows",
        "create",
        call(
            "POST",
            "/billing_request_flows",
            "{\"billing_request_flows\":{\"links\":{\"billing_request\":\""
                + call(
                        "POST",
                        "/billing_requests",
                        "{\"billing_requests\":{\"mandate_request\":{\"scheme\":\"bacs\"}}}")
                    .at("/billing_requests/id")
                    .asString()
                + "\"},\"prefilled_customer\":{\"given_name\":\"Frank\"},"
                + "\"prefilled_bank_account\":{\"account_type\":\"savings\"}}}"));
    assertShape(
        "billing_request_flows",
        "initialise",
        call("POST", "/billing_request_flows/" + flowId + "/actions/initialise", "{\"data\":{}}"));
    assertShape("institutions", "list", call("GET", "/institutions?country_code=GB", null));
    assertShape(
        "institutions",
        "list_for_billing_request",
        call("GET", "/billing_requests/" + brqId + "/institutions", null));
  }

  @Test
  void creditorsCustomersAndBankAccounts() throws IOException {
    assertShape("creditors", "get", call("GET", "/creditors/" + org.creditorId(), null));
    assertShape("creditors", "list", call("GET", "/creditors", null));
    assertShape("customers", "get", call("GET", "/customers/" + customerId, null));
    assertShape("customers", "list", call("GET", "/customers", null));
    assertShape(
        "customers",
        "create",
        call("POST", "/customers", "{\"customers\":{\"company_name\":\"Hamilton Trading Ltd.\"}}"));
    assertShape(
        "customer_bank_accounts",
        "get",
        call("GET", "/customer_bank_accounts/" + bankAccountId, null));
    assertShape("customer_bank_accounts", "list", call("GET", "/customer_bank_accounts", null));
  }

  @Test
  void mandatesPaymentsAndPayouts() throws IOException {
    assertShape("mandates", "get", call("GET", "/mandates/" + mandateId, null));
    assertShape("mandates", "list", call("GET", "/mandates", null));
    JsonNode payment = call("GET", "/payments/" + paymentId, null);
    assertShape("payments", "get", payment);
    assertShape("payments", "list", call("GET", "/payments", null));
    String payoutId = payment.at("/payments/links/payout").asString();
    assertShape("payouts", "get", call("GET", "/payouts/" + payoutId, null));
    assertShape("payouts", "list", call("GET", "/payouts", null));
    JsonNode items = call("GET", "/payout_items?payout=" + payoutId, null);
    assertShape("payout_items", "list", items);
    // The items account for the payout: paid-out amounts less GoCardless and app fees.
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (JsonNode item : items.get("payout_items")) {
      sum = sum.add(new java.math.BigDecimal(item.get("amount").asString()));
    }
    long payoutAmount = call("GET", "/payouts/" + payoutId, null).at("/payouts/amount").asLong();
    assertThat(sum.movePointRight(2).longValueExact()).isEqualTo(payoutAmount);
    assertThat(
            client(org.accessToken())
                .payoutItems()
                .list()
                .withPayout(payoutId)
                .execute()
                .getItems())
        .extracting(i -> i.getType().name())
        .contains("PAYMENT_PAID_OUT", "GOCARDLESS_FEE", "APP_FEE");
  }

  @Test
  void subscriptions() throws IOException {
    JsonNode created =
        call(
            "POST",
            "/subscriptions",
            "{\"subscriptions\":{\"amount\":1000,\"currency\":\"GBP\",\"interval_unit\":\"yearly\","
                + "\"month\":\"january\",\"day_of_month\":28,\"count\":5,\"name\":\"Plan\","
                + "\"payment_reference\":\"GOLDPLAN\",\"app_fee\":100,"
                + "\"links\":{\"mandate\":\""
                + mandateId
                + "\"}}}");
    assertShape("subscriptions", "create", created);
    String id = created.at("/subscriptions/id").asString();
    String path = "/subscriptions/" + id;
    assertShape("subscriptions", "get", call("GET", path, null));
    assertShape("subscriptions", "list", call("GET", "/subscriptions", null));
    assertShape(
        "subscriptions",
        "update",
        call("PUT", path, "{\"subscriptions\":{\"name\":\"Gold\",\"metadata\":{\"k\":\"v\"}}}"));
    assertShape(
        "subscriptions",
        "pause",
        call("POST", path + "/actions/pause", "{\"data\":{\"pause_cycles\":1}}"));
    assertShape("subscriptions", "resume", call("POST", path + "/actions/resume", "{\"data\":{}}"));
    assertShape("subscriptions", "cancel", call("POST", path + "/actions/cancel", "{\"data\":{}}"));
  }

  @Test
  void refunds() throws IOException {
    JsonNode created =
        call(
            "POST",
            "/refunds",
            "{\"refunds\":{\"amount\":150,\"reference\":\"WINEBOX001\","
                + "\"links\":{\"payment\":\""
                + paymentId
                + "\"}}}");
    assertShape("refunds", "create", created);
    String path = "/refunds/" + created.at("/refunds/id").asString();
    assertShape("refunds", "get", call("GET", path, null));
    assertShape("refunds", "list", call("GET", "/refunds", null));
    assertShape(
        "refunds", "update", call("PUT", path, "{\"refunds\":{\"metadata\":{\"k\":\"v\"}}}"));
  }

  @Test
  void instalmentSchedules() throws IOException {
    String next =
        call("GET", "/mandates/" + mandateId, null)
            .at("/mandates/next_possible_charge_date")
            .asString();
    String mandate = "\"links\":{\"mandate\":\"" + mandateId + "\"}";
    JsonNode withDates =
        call(
            "POST",
            "/instalment_schedules",
            "{\"instalment_schedules\":{\"name\":\"Invoice 4404\",\"currency\":\"GBP\","
                + "\"total_amount\":1000,\"instalments\":[{\"charge_date\":\""
                + next
                + "\",\"amount\":1000}],"
                + mandate
                + "}}");
    assertShape("instalment_schedules", "create_with_dates", withDates);
    assertShape(
        "instalment_schedules",
        "create_with_schedule",
        call(
            "POST",
            "/instalment_schedules",
            "{\"instalment_schedules\":{\"name\":\"Invoice 4405\",\"currency\":\"GBP\","
                + "\"total_amount\":1000,\"instalments\":{\"start_date\":\""
                + next
                + "\",\"interval\":1,\"interval_unit\":\"monthly\",\"amounts\":[500,500]},"
                + mandate
                + "}}"));
    String path = "/instalment_schedules/" + withDates.at("/instalment_schedules/id").asString();
    assertShape("instalment_schedules", "get", call("GET", path, null));
    assertShape("instalment_schedules", "list", call("GET", "/instalment_schedules", null));
    assertShape(
        "instalment_schedules",
        "update",
        call("PUT", path, "{\"instalment_schedules\":{\"metadata\":{\"k\":\"v\"}}}"));
    assertShape(
        "instalment_schedules", "cancel", call("POST", path + "/actions/cancel", "{\"data\":{}}"));
  }

  @Test
  void bankAuthorisations() throws IOException {
    String brq =
        call(
                "POST",
                "/billing_requests",
                "{\"billing_requests\":{\"payment_request\":{\"amount\":500,\"currency\":\"GBP\"}}}")
            .at("/billing_requests/id")
            .asString();
    call(
        "POST",
        "/billing_requests/" + brq + "/actions/select_institution",
        "{\"data\":{\"institution\":\"monzo\",\"country_code\":\"GB\"}}");
    JsonNode created =
        call(
            "POST",
            "/bank_authorisations",
            "{\"bank_authorisations\":{\"redirect_uri\":\"https://my-website.com/abc/callback\","
                + "\"links\":{\"billing_request\":\""
                + brq
                + "\"}}}");
    assertShape("bank_authorisations", "create", created);
    JsonNode check =
        call(
            "POST",
            "/bank_account_holder_verifications",
            "{\"bank_account_holder_verifications\":{\"type\":\"confirmation_of_payee\","
                + "\"links\":{\"bank_account\":\""
                + bankAccountId
                + "\"}}}");
    assertShape("bank_account_holder_verifications", "create", check);
    assertShape(
        "bank_account_holder_verifications",
        "get",
        call(
            "GET",
            "/bank_account_holder_verifications/"
                + check.at("/bank_account_holder_verifications/id").asString(),
            null));
    assertShape(
        "bank_authorisations",
        "get",
        call(
            "GET",
            "/bank_authorisations/" + created.at("/bank_authorisations/id").asString(),
            null));
  }

  @Test
  void billingRequestWithActions() throws IOException {
    assertShape(
        "billing_request_with_actions",
        "create_with_actions",
        call(
            "POST",
            "/billing_requests/create_with_actions",
            "{\"billing_request_with_actions\":{\"payment_request\":{\"amount\":500,"
                + "\"currency\":\"GBP\"},\"actions\":{\"select_institution\":"
                + "{\"institution\":\"monzo\",\"country_code\":\"GB\"},"
                + "\"create_bank_authorisation\":true}}}"));
  }

  @Test
  void eventsScenariosAndWebhooks() throws IOException {
    JsonNode events = call("GET", "/events?resource_type=payments&include=payment", null);
    assertShape("events", "list", events);
    assertShape(
        "events", "get", call("GET", "/events/" + events.at("/events/0/id").asString(), null));
    JsonNode included = call("GET", "/events?resource_type=payments&include=payment", null);
    assertThat(included.at("/linked/payments").isArray()).isTrue();
    assertThat(included.at("/linked/payments")).isNotEmpty();
    assertShape(
        "scenario_simulators",
        "run",
        call(
            "POST",
            "/scenario_simulators/creditor_verification_status_in_review/actions/run",
            "{\"data\":{\"links\":{\"resource\":\"" + org.creditorId() + "\"}}}"));
    JsonNode webhooks = call("GET", "/webhooks", null);
    assertShape("webhooks", "list", webhooks);
    assertShape(
        "webhooks",
        "get",
        call("GET", "/webhooks/" + webhooks.at("/webhooks/0/id").asString(), null));
  }

  @Test
  void errors() throws IOException {
    HttpResponse<String> unauthorized = api("GET", "/customers", "nope", null);
    List<String> problems = new ArrayList<>();
    compare(
        JSON.readTree(Files.readString(SharedDocs.fixtures().resolve("unauthorized_error.json"))),
        JSON.readTree(unauthorized.body()),
        "",
        problems,
        false);
    HttpResponse<String> invalid =
        api(
            "POST",
            "/mandates/" + mandateId + "/actions/reinstate",
            org.accessToken(),
            "{\"data\":{}}");
    compare(
        JSON.readTree(Files.readString(SharedDocs.fixtures().resolve("invalid_state_error.json"))),
        JSON.readTree(invalid.body()),
        "",
        problems,
        false);
    HttpResponse<String> validation =
        api(
            "POST",
            "/customer_bank_accounts",
            org.accessToken(),
            "{\"customer_bank_accounts\":{\"account_holder_name\":\"X\",\"branch_code\":\"ab\",\"account_number\":\"1\",\"links\":{\"customer\":\""
                + customerId
                + "\"}}}");
    assertThat(validation.statusCode()).isEqualTo(422);
    compare(
        JSON.readTree(
            Files.readString(SharedDocs.fixtures().resolve("validation_failed_error.json"))),
        JSON.readTree(validation.body()),
        "",
        problems,
        false);
    String account =
        "{\"customer_bank_accounts\":{\"account_holder_name\":\"Frank Osborne\","
            + "\"branch_code\":\"200000\",\"account_number\":\"44779911\","
            + "\"links\":{\"customer\":\""
            + customerId
            + "\"}}}";
    assertThat(api("POST", "/customer_bank_accounts", org.accessToken(), account).statusCode())
        .isEqualTo(201);
    HttpResponse<String> again = api("POST", "/customer_bank_accounts", org.accessToken(), account);
    assertThat(again.statusCode()).isEqualTo(409);
    compare(
        JSON.readTree(
            Files.readString(
                SharedDocs.fixtures()
                    .resolve("validation_failed_duplicate_bank_account_error.json"))),
        JSON.readTree(again.body()),
        "",
        problems,
        false);
    HttpResponse<String> usage = api("POST", "/customers", org.accessToken(), "[1]");
    compare(
        JSON.readTree(
            Files.readString(SharedDocs.fixtures().resolve("invalid_api_usage_error.json"))),
        JSON.readTree(usage.body()),
        "",
        problems,
        false);
    assertThat(problems).isEmpty();
  }
}
