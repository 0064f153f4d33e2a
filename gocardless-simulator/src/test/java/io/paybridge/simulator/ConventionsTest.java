package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.api;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.AuthenticationException;
import com.gocardless.errors.ErrorType;
import com.gocardless.errors.InvalidApiUsageException;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.PermissionException;
import com.gocardless.errors.RateLimitException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.http.ApiResponse;
import com.gocardless.http.ListResponse;
import com.gocardless.resources.Creditor;
import com.gocardless.resources.Customer;
import com.gocardless.resources.Mandate;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conventions every endpoint follows: auth, version, errors, idempotency, pagination, rate limits.
 */
@ExtendWith(TestSimulator.class)
class ConventionsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void seededOrganisationsHaveOneCreditorEachInTheirVerificationState() {
    assertThat(client("sandbox_simulator_acme").creditors().list().execute().getItems())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getId()).isEqualTo("CR0000SIMACME1");
              assertThat(c.getVerificationStatus())
                  .isEqualTo(Creditor.VerificationStatus.SUCCESSFUL);
            });
    assertThat(
            client("sandbox_simulator_beta")
                .creditors()
                .get("CR0000SIMBETA2")
                .execute()
                .getVerificationStatus())
        .isEqualTo(Creditor.VerificationStatus.IN_REVIEW);
    assertThat(
            client("sandbox_simulator_gamma")
                .creditors()
                .get("CR0000SIMGAMA3")
                .execute()
                .getVerificationStatus())
        .isEqualTo(Creditor.VerificationStatus.ACTION_REQUIRED);
    // another organisation's creditor is not visible
    assertThatThrownBy(
            () -> client("sandbox_simulator_gamma").creditors().get("CR0000SIMACME1").execute())
        .isInstanceOf(InvalidApiUsageException.class)
        .satisfies(e -> assertThat(((InvalidApiUsageException) e).getCode()).isEqualTo(404));
  }

  @Test
  void unknownTokenIsUnauthorized() {
    AuthenticationException e =
        catchThrowableOfType(
            AuthenticationException.class,
            () -> client("sandbox_not_a_token").customers().list().execute());
    assertThat(e.getCode()).isEqualTo(401);
    assertThat(e.getType()).isEqualTo(ErrorType.INVALID_API_USAGE);
    assertThat(e.getErrors()).extracting(err -> err.getReason()).containsExactly("unauthorized");
    assertThat(e.getRequestId()).isNotBlank();
    assertThat(e.getDocumentationUrl())
        .isEqualTo("https://developer.gocardless.com/api-reference#unauthorized");
  }

  @Test
  void missingOrWrongVersionHeaderIsRejected() throws Exception {
    HttpResponse<String> missing =
        TestSimulator.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(SIM.baseUrl() + "/customers"))
                .header("Authorization", "Bearer sandbox_simulator_acme")
                .build());
    assertThat(missing.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(missing.body()).get("error");
    assertThat(error.get("type").asString()).isEqualTo("invalid_api_usage");
    assertThat(error.get("code").asInt()).isEqualTo(400);
    assertThat(error.get("errors").get(0).get("reason").asString())
        .isEqualTo("missing_version_header");

    HttpResponse<String> wrong =
        TestSimulator.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(SIM.baseUrl() + "/customers"))
                .header("Authorization", "Bearer sandbox_simulator_acme")
                .header("GoCardless-Version", "2014-11-03")
                .build());
    assertThat(JSON.readTree(wrong.body()).at("/error/errors/0/reason").asString())
        .isEqualTo("version_not_found");
  }

  @Test
  void malformedJsonIsInvalidDocumentStructure() {
    HttpResponse<String> response =
        api("POST", "/customers", "sandbox_simulator_acme", "{not json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"invalid_document_structure\"").contains("\"code\":400");
    HttpResponse<String> noEnvelope =
        api("POST", "/customers", "sandbox_simulator_acme", "{\"given_name\":\"x\"}");
    assertThat(noEnvelope.statusCode()).isEqualTo(400);
  }

  @Test
  void validationErrorsCarryFieldAndRequestPointer() {
    SimulatedOrganisation org = SIM.createOrganisation("Validation Ltd", "successful");
    ValidationFailedException e =
        catchThrowableOfType(
            ValidationFailedException.class,
            () ->
                client(org.accessToken())
                    .customerBankAccounts()
                    .create()
                    .withAccountHolderName("A Person")
                    .withAccountNumber("12AB")
                    .withBranchCode("2000")
                    .withCountryCode("GB")
                    .withLinksCustomer(
                        client(org.accessToken())
                            .customers()
                            .create()
                            .withGivenName("A")
                            .withFamilyName("Person")
                            .execute()
                            .getId())
                    .execute());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getErrors())
        .extracting(err -> err.getField() + " " + err.getRequestPointer() + " " + err.getMessage())
        .contains(
            "account_number /customer_bank_accounts/account_number must be a number",
            "branch_code /customer_bank_accounts/branch_code is the wrong length (should be 6 characters)");
  }

  @Test
  void metadataIsValidated() {
    SimulatedOrganisation org = SIM.createOrganisation("Metadata Ltd", "successful");
    ValidationFailedException e =
        catchThrowableOfType(
            ValidationFailedException.class,
            () ->
                client(org.accessToken())
                    .customers()
                    .create()
                    .withCompanyName("Meta")
                    .withMetadata("a", "1")
                    .withMetadata("b", "2")
                    .withMetadata("c", "3")
                    .withMetadata("d", "4")
                    .execute());
    assertThat(e.getErrors())
        .extracting(err -> err.getMessage())
        .contains("must have no more than 3 keys");
  }

  @Test
  void idempotentCreateReturnsTheSameResourceAndAConflictCarriesItsId() {
    SimulatedOrganisation org = SIM.createOrganisation("Idempotent Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Customer first =
        client
            .customers()
            .create()
            .withCompanyName("Once Ltd")
            .withIdempotencyKey("key-1")
            .execute();
    // The official client follows the 409 to the existing resource.
    Customer again =
        client
            .customers()
            .create()
            .withCompanyName("Once Ltd")
            .withIdempotencyKey("key-1")
            .execute();
    assertThat(again.getId()).isEqualTo(first.getId());
    assertThat(client.customers().list().execute().getItems()).hasSize(1);

    GoCardlessClient strict =
        GoCardlessClient.newBuilder(org.accessToken())
            .withBaseUrl(SIM.baseUrl())
            .withErrorOnIdempotencyConflict(true)
            .build();
    InvalidStateException conflict =
        catchThrowableOfType(
            InvalidStateException.class,
            () ->
                strict
                    .customers()
                    .create()
                    .withCompanyName("A different body")
                    .withIdempotencyKey("key-1")
                    .execute());
    assertThat(conflict.getCode()).isEqualTo(409);
    assertThat(conflict.getErrors())
        .singleElement()
        .satisfies(
            err -> {
              assertThat(err.getReason()).isEqualTo("idempotent_creation_conflict");
              assertThat(err.getLinks()).containsEntry("conflicting_resource_id", first.getId());
            });
    assertThat(client.customers().list().execute().getItems()).hasSize(1);

    // A failed create does not consume the key.
    assertThatThrownBy(
            () ->
                client
                    .customers()
                    .create()
                    .withGivenName("NoFamily")
                    .withIdempotencyKey("key-2")
                    .execute())
        .isInstanceOf(ValidationFailedException.class);
    Customer created =
        client
            .customers()
            .create()
            .withCompanyName("Second Ltd")
            .withIdempotencyKey("key-2")
            .execute();
    assertThat(created.getCompanyName()).isEqualTo("Second Ltd");
  }

  @Test
  void invalidStateErrorsHaveReasons() {
    SimulatedOrganisation org = SIM.createOrganisation("State Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    Mandate mandate = Fixtures.activeMandate(client, "State");
    client.mandates().cancel(mandate.getId()).execute();
    InvalidStateException e =
        catchThrowableOfType(
            InvalidStateException.class, () -> client.mandates().cancel(mandate.getId()).execute());
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getErrors())
        .extracting(err -> err.getReason())
        .containsExactly("cancellation_failed");
    InvalidStateException inactive =
        catchThrowableOfType(
            InvalidStateException.class,
            () ->
                client
                    .payments()
                    .create()
                    .withAmount(100)
                    .withCurrency(
                        com.gocardless.services.PaymentService.PaymentCreateRequest.Currency.GBP)
                    .withLinksMandate(mandate.getId())
                    .execute());
    assertThat(inactive.getErrors())
        .extracting(err -> err.getReason())
        .containsExactly("mandate_is_inactive");
    Mandate reinstated = client.mandates().reinstate(mandate.getId()).execute();
    assertThat(reinstated.getStatus()).isEqualTo(Mandate.Status.PENDING_SUBMISSION);
    assertThat(
            catchThrowableOfType(
                    InvalidStateException.class,
                    () -> client.mandates().reinstate(mandate.getId()).execute())
                .getErrors())
        .extracting(err -> err.getReason())
        .containsExactly("mandate_not_inactive");
  }

  @Test
  void listsPaginateWithCursors() {
    SimulatedOrganisation org = SIM.createOrganisation("Pages Ltd", "successful");
    GoCardlessClient client = client(org.accessToken());
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(client.customers().create().withCompanyName("Customer " + i).execute().getId());
    }
    ListResponse<Customer> first = client.customers().list().withLimit(2).execute();
    assertThat(first.getItems())
        .extracting(Customer::getId)
        .containsExactly(created.get(4), created.get(3));
    assertThat(first.getLimit()).isEqualTo(2);
    assertThat(first.getBefore()).isNull();
    assertThat(first.getAfter()).isEqualTo(created.get(3));
    ListResponse<Customer> second =
        client.customers().list().withLimit(2).withAfter(first.getAfter()).execute();
    assertThat(second.getItems())
        .extracting(Customer::getId)
        .containsExactly(created.get(2), created.get(1));
    assertThat(second.getBefore()).isEqualTo(created.get(2));
    List<String> all =
        StreamSupport.stream(client.customers().all().withLimit(2).execute().spliterator(), false)
            .map(Customer::getId)
            .toList();
    assertThat(all).containsExactlyElementsOf(created.reversed());
  }

  @Test
  void readOnlyTokensCannotWrite() {
    // A read_only OAuth grant; issued through the real connect flow in OAuthConnectTest, here
    // directly.
    String token = OAuthConnectTest.connect("read_only", "OR0000SIMBETA2").accessToken();
    assertThat(client(token).customers().list().execute().getItems()).isNotNull();
    PermissionException e =
        catchThrowableOfType(
            PermissionException.class,
            () -> client(token).customers().create().withCompanyName("Nope").execute());
    assertThat(e.getCode()).isEqualTo(403);
    assertThat(e.getErrors())
        .extracting(err -> err.getReason())
        .containsExactly("insufficient_permissions");
  }

  @Test
  void rateLimitAnswers429PastTheLimitWithHeaders() {
    try (GoCardlessSimulator limited =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withRateLimit(3, Duration.ofMinutes(1))
                .withTickInterval(Duration.ZERO))) {
      GoCardlessClient client =
          GoCardlessClient.newBuilder("sandbox_simulator_acme")
              .withBaseUrl(limited.baseUrl())
              .build();
      ApiResponse<Creditor> ok = client.creditors().get("CR0000SIMACME1").executeWrapped();
      assertThat(ok.getHeaders().get("ratelimit-limit")).containsExactly("3");
      assertThat(ok.getHeaders().get("ratelimit-remaining")).containsExactly("2");
      assertThat(ok.getHeaders().get("ratelimit-reset"))
          .singleElement()
          .asString()
          .endsWith(" GMT");
      client.creditors().get("CR0000SIMACME1").execute();
      client.creditors().get("CR0000SIMACME1").execute();
      RateLimitException e =
          catchThrowableOfType(
              RateLimitException.class, () -> client.creditors().get("CR0000SIMACME1").execute());
      assertThat(e.getCode()).isEqualTo(429);
      assertThat(e.getErrors())
          .extracting(err -> err.getReason())
          .containsExactly("rate_limit_exceeded");
      // the limit is per token: another organisation's token still works
      assertThat(
              GoCardlessClient.newBuilder("sandbox_simulator_beta")
                  .withBaseUrl(limited.baseUrl())
                  .build()
                  .creditors()
                  .list()
                  .execute()
                  .getItems())
          .hasSize(1);
      limited.resetRateLimits();
      assertThat(client.creditors().get("CR0000SIMACME1").execute().getId())
          .isEqualTo("CR0000SIMACME1");
    }
  }

  @Test
  void eventsAnApiCallCausedNameTheirSource() {
    try (GoCardlessSimulator own =
        GoCardlessSimulator.start(
            SimulatorSettings.defaults()
                .withStaticToken("static_merchant_token", "OR0000SIMACME1")
                .withTickInterval(Duration.ZERO))) {
      GoCardlessClient merchant =
          GoCardlessClient.newBuilder("static_merchant_token").withBaseUrl(own.baseUrl()).build();
      GoCardlessClient app =
          GoCardlessClient.newBuilder("sandbox_simulator_acme").withBaseUrl(own.baseUrl()).build();
      String byMerchant =
          merchant.billingRequests().create().withMandateRequestScheme("bacs").execute().getId();
      String byApp =
          app.billingRequests().create().withMandateRequestScheme("bacs").execute().getId();
      com.gocardless.resources.Event.Source merchantSource =
          merchant
              .events()
              .list()
              .withBillingRequest(byMerchant)
              .execute()
              .getItems()
              .getFirst()
              .getSource();
      assertThat(merchantSource.getType())
          .isEqualTo(com.gocardless.resources.Event.Source.Type.ACCESS_TOKEN);
      com.gocardless.resources.Event.Source appSource =
          app.events().list().withBillingRequest(byApp).execute().getItems().getFirst().getSource();
      assertThat(appSource.getType()).isEqualTo(com.gocardless.resources.Event.Source.Type.APP);
      assertThat(appSource.getName()).isEqualTo(own.settings().partnerApp().name());
    }
  }

  @Test
  void unknownRoutesAre404InvalidApiUsage() {
    InvalidApiUsageException e =
        catchThrowableOfType(
            InvalidApiUsageException.class,
            () -> client("sandbox_simulator_acme").blocks().list().execute());
    assertThat(e.getCode()).isEqualTo(404);
    assertThat(e.getErrors()).extracting(err -> err.getReason()).containsExactly("path_not_found");
  }
}
