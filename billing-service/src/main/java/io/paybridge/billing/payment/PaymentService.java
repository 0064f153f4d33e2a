package io.paybridge.billing.payment;

import com.gocardless.resources.Payment;
import com.gocardless.services.PaymentService.PaymentCreateRequest;
import io.paybridge.billing.idempotency.GoCardlessCreates;
import io.paybridge.billing.idempotency.IdempotentCreates;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.ListQuery;
import io.paybridge.billing.projection.Page;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.Projections;
import io.paybridge.billing.projection.Views;
import io.paybridge.platform.gocardless.GoCardless;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/** Payments on a team's mandates: create, reads, cancel, retry. */
@Service
public class PaymentService {

  private final GoCardless gocardless;
  private final GoCardlessCreates creates;
  private final Projections projections;
  private final Views views;
  private final GoCardlessCreates.Resource<Payment, CreatePayment> payments;

  PaymentService(
      GoCardless gocardless, GoCardlessCreates creates, Projections projections, Views views) {
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.views = views;
    this.payments =
        new GoCardlessCreates.Resource<>(
            "payment",
            Kind.PAYMENT,
            (c, id) -> c.payments().get(id).execute(),
            PaymentService::sameRequest,
            views::payment);
  }

  public IdempotentCreates.Result<ObjectNode> create(
      String team, String idempotencyKey, CreatePayment request) {
    // The mandate decides the merchant: a team can only charge its own mandates.
    Projected mandate = projections.owned(Kind.MANDATE, request.mandateId(), team);
    return creates.create(
        payments,
        team,
        idempotencyKey,
        request,
        GoCardlessCreates.Owner.of(mandate),
        (c, key) -> {
          PaymentCreateRequest create =
              c.payments()
                  .create()
                  .withAmount(request.amount().intValue())
                  .withCurrency(PaymentCreateRequest.Currency.valueOf(request.currency()))
                  .withLinksMandate(request.mandateId())
                  .withPsuInteractionType(
                      PaymentCreateRequest.PsuInteractionType.valueOf(
                          request.psuInteractionType().toUpperCase(Locale.ROOT)))
                  .withIdempotencyKey(key);
          Optional.ofNullable(request.chargeDate()).ifPresent(create::withChargeDate);
          Optional.ofNullable(request.description()).ifPresent(create::withDescription);
          Optional.ofNullable(request.reference()).ifPresent(create::withReference);
          Optional.ofNullable(request.retryIfPossible()).ifPresent(create::withRetryIfPossible);
          if (!request.metadata().isEmpty()) {
            create.withMetadata(request.metadata());
          }
          return create.execute();
        });
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.PAYMENT, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.PAYMENT, team, query);
  }

  public ObjectNode cancel(String team, String id) {
    var current = projections.owned(Kind.PAYMENT, id, team);
    var answer = gocardless.once(current.merchantId(), c -> c.payments().cancel(id).execute());
    return projections.refresh(
        current, views.payment(answer, current.merchantId(), team, current.organisationId()));
  }

  public ObjectNode retry(String team, String id, CreatePayment.Retry body) {
    var current = projections.owned(Kind.PAYMENT, id, team);
    var answer =
        gocardless.once(
            current.merchantId(),
            c -> {
              var retry = c.payments().retry(id);
              if (body != null && body.chargeDate() != null) {
                retry.withChargeDate(body.chargeDate());
              }
              return retry.execute();
            });
    return projections.refresh(
        current, views.payment(answer, current.merchantId(), team, current.organisationId()));
  }

  static boolean sameRequest(Payment made, CreatePayment asked) {
    return made.getAmount() != null
        && made.getAmount().longValue() == asked.amount()
        && made.getCurrency() != null
        && made.getCurrency().name().equals(asked.currency())
        && made.getLinks() != null
        && asked.mandateId().equals(made.getLinks().getMandate());
  }
}
