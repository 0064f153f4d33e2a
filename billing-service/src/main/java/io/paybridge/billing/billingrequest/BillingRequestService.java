package io.paybridge.billing.billingrequest;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.BillingRequest;
import com.gocardless.services.BillingRequestService.BillingRequestCreateRequest;
import io.paybridge.billing.idempotency.GoCardlessCreates;
import io.paybridge.billing.idempotency.IdempotentCreates;
import io.paybridge.billing.merchant.Merchants;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.ListQuery;
import io.paybridge.billing.projection.Page;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.Projections;
import io.paybridge.billing.projection.Views;
import io.paybridge.platform.gocardless.GoCardless;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/** Billing requests for a team's merchants: create, read, cancel, actions, hosted flows. */
@Service
public class BillingRequestService {

  private final Merchants merchants;
  private final GoCardless gocardless;
  private final GoCardlessCreates creates;
  private final Projections projections;
  private final Views views;
  private final GoCardlessCreates.Resource<BillingRequest, CreateBillingRequest> billingRequests;

  BillingRequestService(
      Merchants merchants,
      GoCardless gocardless,
      GoCardlessCreates creates,
      Projections projections,
      Views views) {
    this.merchants = merchants;
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.views = views;
    this.billingRequests =
        new GoCardlessCreates.Resource<>(
            "billing-request",
            Kind.BILLING_REQUEST,
            (c, id) -> c.billingRequests().get(id).execute(),
            BillingRequestService::sameRequest,
            views::billingRequest);
  }

  public IdempotentCreates.Result<ObjectNode> create(
      String team, String idempotencyKey, CreateBillingRequest request) {
    var merchant = merchants.ownedBy(team, request.merchantId());
    return creates.create(
        billingRequests,
        team,
        idempotencyKey,
        request,
        new GoCardlessCreates.Owner(merchant.id(), merchant.organisationId()),
        (c, key) -> createRequest(c, request).withIdempotencyKey(key).execute());
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.BILLING_REQUEST, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.BILLING_REQUEST, team, query);
  }

  /**
   * One of GoCardless's billing request actions ({@code cancel} too), made once; the projection
   * takes GoCardless's answer.
   */
  public ObjectNode act(String team, String id, String action, BillingRequestAction body) {
    Projected current = projections.owned(Kind.BILLING_REQUEST, id, team);
    BillingRequest answer =
        gocardless.once(current.merchantId(), c -> BillingRequestActions.run(c, id, action, body));
    return projections.refresh(
        current,
        views.billingRequest(answer, current.merchantId(), team, current.organisationId()));
  }

  public CreateFlow.Flow createFlow(String team, CreateFlow request) {
    Projected billingRequest =
        projections.owned(Kind.BILLING_REQUEST, request.billingRequestId(), team);
    var flow =
        gocardless.once(
            billingRequest.merchantId(),
            c -> {
              var create =
                  c.billingRequestFlows()
                      .create()
                      .withLinksBillingRequest(request.billingRequestId());
              Optional.ofNullable(request.redirectUri()).ifPresent(create::withRedirectUri);
              Optional.ofNullable(request.exitUri()).ifPresent(create::withExitUri);
              Optional.ofNullable(request.language()).ifPresent(create::withLanguage);
              Optional.ofNullable(request.lockBankAccount()).ifPresent(create::withLockBankAccount);
              Optional.ofNullable(request.lockCustomerDetails())
                  .ifPresent(create::withLockCustomerDetails);
              Optional.ofNullable(request.lockCurrency()).ifPresent(create::withLockCurrency);
              var prefill = request.prefilledCustomer();
              if (prefill != null) {
                Optional.ofNullable(prefill.givenName())
                    .ifPresent(create::withPrefilledCustomerGivenName);
                Optional.ofNullable(prefill.familyName())
                    .ifPresent(create::withPrefilledCustomerFamilyName);
                Optional.ofNullable(prefill.email()).ifPresent(create::withPrefilledCustomerEmail);
                Optional.ofNullable(prefill.companyName())
                    .ifPresent(create::withPrefilledCustomerCompanyName);
              }
              return create.execute();
            });
    return new CreateFlow.Flow(
        flow.getId(),
        request.billingRequestId(),
        flow.getAuthorisationUrl(),
        flow.getExpiresAt(),
        flow.getRedirectUri(),
        flow.getExitUri());
  }

  private static BillingRequestCreateRequest createRequest(
      GoCardlessClient c, CreateBillingRequest request) {
    var create = c.billingRequests().create();
    if (!request.metadata().isEmpty()) {
      create.withMetadata(request.metadata());
    }
    var payment = request.paymentRequest();
    if (payment != null) {
      create
          .withPaymentRequestAmount(payment.amount().intValue())
          .withPaymentRequestCurrency(payment.currency());
      Optional.ofNullable(payment.description()).ifPresent(create::withPaymentRequestDescription);
      Optional.ofNullable(payment.reference()).ifPresent(create::withPaymentRequestReference);
      Optional.ofNullable(payment.retryIfPossible())
          .ifPresent(create::withPaymentRequestRetryIfPossible);
    }
    var mandate = request.mandateRequest();
    if (mandate != null) {
      Optional.ofNullable(mandate.scheme()).ifPresent(create::withMandateRequestScheme);
      Optional.ofNullable(mandate.currency()).ifPresent(create::withMandateRequestCurrency);
      Optional.ofNullable(mandate.reference()).ifPresent(create::withMandateRequestReference);
      Optional.ofNullable(mandate.description()).ifPresent(create::withMandateRequestDescription);
      if (mandate.verify() != null) {
        create.withMandateRequestVerify(
            BillingRequestCreateRequest.MandateRequest.Verify.valueOf(
                mandate.verify().toUpperCase(Locale.ROOT)));
      }
    }
    return create;
  }

  /** Whether the resource an earlier use of the key made is the one asked for now. */
  static boolean sameRequest(BillingRequest made, CreateBillingRequest asked) {
    var payment = asked.paymentRequest();
    var madePayment = made.getPaymentRequest();
    if ((payment == null) != (madePayment == null)) {
      return false;
    }
    if (payment != null
        && (!Objects.equals(
                madePayment.getAmount() == null ? null : madePayment.getAmount().longValue(),
                payment.amount())
            || !payment.currency().equalsIgnoreCase(String.valueOf(madePayment.getCurrency())))) {
      return false;
    }
    if ((asked.mandateRequest() == null) != (made.getMandateRequest() == null)) {
      return false;
    }
    var metadata = made.getMetadata() == null ? java.util.Map.of() : made.getMetadata();
    return metadata.equals(asked.metadata());
  }
}
