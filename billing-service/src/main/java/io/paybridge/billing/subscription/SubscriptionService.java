package io.paybridge.billing.subscription;

import com.gocardless.resources.Subscription;
import com.gocardless.services.SubscriptionService.SubscriptionCreateRequest;
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

/** Subscriptions on a team's mandates: create, reads, update, pause, resume, cancel. */
@Service
public class SubscriptionService {

  private final GoCardless gocardless;
  private final GoCardlessCreates creates;
  private final Projections projections;
  private final Views views;
  private final GoCardlessCreates.Resource<Subscription, CreateSubscription> subscriptions;

  SubscriptionService(
      GoCardless gocardless, GoCardlessCreates creates, Projections projections, Views views) {
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.views = views;
    this.subscriptions =
        new GoCardlessCreates.Resource<>(
            "subscription",
            Kind.SUBSCRIPTION,
            (c, id) -> c.subscriptions().get(id).execute(),
            SubscriptionService::sameRequest,
            views::subscription);
  }

  public IdempotentCreates.Result<ObjectNode> create(
      String team, String idempotencyKey, CreateSubscription request) {
    Projected mandate = projections.owned(Kind.MANDATE, request.mandateId(), team);
    return creates.create(
        subscriptions,
        team,
        idempotencyKey,
        request,
        GoCardlessCreates.Owner.of(mandate),
        (c, key) -> {
          var create =
              c.subscriptions()
                  .create()
                  .withAmount(request.amount().intValue())
                  .withCurrency(request.currency())
                  .withIntervalUnit(
                      SubscriptionCreateRequest.IntervalUnit.valueOf(
                          request.intervalUnit().toUpperCase(Locale.ROOT)))
                  .withLinksMandate(request.mandateId())
                  .withIdempotencyKey(key);
          Optional.ofNullable(request.interval()).ifPresent(create::withInterval);
          Optional.ofNullable(request.dayOfMonth()).ifPresent(create::withDayOfMonth);
          Optional.ofNullable(request.startDate()).ifPresent(create::withStartDate);
          Optional.ofNullable(request.count()).ifPresent(create::withCount);
          Optional.ofNullable(request.name()).ifPresent(create::withName);
          Optional.ofNullable(request.paymentReference()).ifPresent(create::withPaymentReference);
          Optional.ofNullable(request.retryIfPossible()).ifPresent(create::withRetryIfPossible);
          if (!request.metadata().isEmpty()) {
            create.withMetadata(request.metadata());
          }
          return create.execute();
        });
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.SUBSCRIPTION, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.SUBSCRIPTION, team, query);
  }

  public ObjectNode update(String team, String id, CreateSubscription.Update body) {
    var current = projections.owned(Kind.SUBSCRIPTION, id, team);
    var answer =
        gocardless.once(
            current.merchantId(),
            c -> {
              var update = c.subscriptions().update(id);
              if (body != null) {
                Optional.ofNullable(body.amount()).ifPresent(a -> update.withAmount(a.intValue()));
                Optional.ofNullable(body.name()).ifPresent(update::withName);
                Optional.ofNullable(body.paymentReference())
                    .ifPresent(update::withPaymentReference);
                Optional.ofNullable(body.metadata()).ifPresent(update::withMetadata);
              }
              return update.execute();
            });
    return refresh(current, answer);
  }

  public ObjectNode pause(String team, String id, CreateSubscription.Pause body) {
    var current = projections.owned(Kind.SUBSCRIPTION, id, team);
    var answer =
        gocardless.once(
            current.merchantId(),
            c -> {
              var pause = c.subscriptions().pause(id);
              if (body != null && body.pauseCycles() != null) {
                pause.withPauseCycles(body.pauseCycles());
              }
              return pause.execute();
            });
    return refresh(current, answer);
  }

  public ObjectNode resume(String team, String id) {
    var current = projections.owned(Kind.SUBSCRIPTION, id, team);
    return refresh(
        current,
        gocardless.once(current.merchantId(), c -> c.subscriptions().resume(id).execute()));
  }

  public ObjectNode cancel(String team, String id) {
    var current = projections.owned(Kind.SUBSCRIPTION, id, team);
    return refresh(
        current,
        gocardless.once(current.merchantId(), c -> c.subscriptions().cancel(id).execute()));
  }

  private ObjectNode refresh(Projected current, Subscription answer) {
    return projections.refresh(
        current,
        views.subscription(answer, current.merchantId(), current.team(), current.organisationId()));
  }

  static boolean sameRequest(Subscription made, CreateSubscription asked) {
    return made.getAmount() != null
        && made.getAmount().longValue() == asked.amount()
        && asked.currency().equals(made.getCurrency())
        && made.getLinks() != null
        && asked.mandateId().equals(made.getLinks().getMandate());
  }
}
