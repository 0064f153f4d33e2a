package io.paybridge.billing.refund;

import com.gocardless.resources.Refund;
import io.paybridge.billing.idempotency.GoCardlessCreates;
import io.paybridge.billing.idempotency.IdempotentCreates;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.ListQuery;
import io.paybridge.billing.projection.Page;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.billing.projection.Projections;
import io.paybridge.billing.projection.Views;
import io.paybridge.platform.gocardless.GoCardless;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * Refunds of a team's payments. Never more than the payment in total: checked here against the
 * refunds known, then by GoCardless, told the refunded total it must find ({@code
 * total_amount_confirmation}), so that two refunds racing cannot both pass.
 */
@Service
public class RefundService {

  private final GoCardless gocardless;
  private final GoCardlessCreates creates;
  private final Projections projections;
  private final ProjectionRepository repository;
  private final GoCardlessCreates.Resource<Refund, CreateRefund> refunds;

  RefundService(
      GoCardless gocardless,
      GoCardlessCreates creates,
      Projections projections,
      ProjectionRepository repository,
      Views views) {
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.repository = repository;
    this.refunds =
        new GoCardlessCreates.Resource<>(
            "refund",
            Kind.REFUND,
            (c, id) -> c.refunds().get(id).execute(),
            RefundService::sameRequest,
            views::refund);
  }

  public IdempotentCreates.Result<ObjectNode> create(
      String team, String idempotencyKey, CreateRefund request) {
    Projected payment = projections.owned(Kind.PAYMENT, request.paymentId(), team);
    return creates.prepareAndCreate(
        refunds,
        team,
        idempotencyKey,
        request,
        GoCardlessCreates.Owner.of(payment),
        () -> {
          long paymentAmount = payment.view().path("amount").asLong();
          long refunded = repository.refundedAmount(payment.id());
          if (refunded + request.amount() > paymentAmount) {
            throw new RefundExceedsPaymentException(
                payment.id(), request.amount(), refunded, paymentAmount);
          }
          // GoCardless's own count of what was refunded, for its confirmation check.
          var current =
              gocardless.read(payment.merchantId(), c -> c.payments().get(payment.id()).execute());
          long refundedAtGoCardless =
              current.getAmountRefunded() == null ? 0 : current.getAmountRefunded();
          return (c, key) -> {
            var create =
                c.refunds()
                    .create()
                    .withAmount(request.amount().intValue())
                    .withTotalAmountConfirmation((int) (refundedAtGoCardless + request.amount()))
                    .withLinksPayment(payment.id())
                    .withIdempotencyKey(key);
            Optional.ofNullable(request.reference()).ifPresent(create::withReference);
            if (!request.metadata().isEmpty()) {
              create.withMetadata(request.metadata());
            }
            return create.execute();
          };
        });
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.REFUND, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.REFUND, team, query);
  }

  static boolean sameRequest(Refund made, CreateRefund asked) {
    return made.getAmount() != null
        && made.getAmount().longValue() == asked.amount()
        && made.getLinks() != null
        && asked.paymentId().equals(made.getLinks().getPayment());
  }
}
