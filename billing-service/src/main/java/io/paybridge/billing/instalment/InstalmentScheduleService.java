package io.paybridge.billing.instalment;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.InstalmentSchedule;
import com.gocardless.services.InstalmentScheduleService.InstalmentScheduleCreateWithDatesRequest;
import com.gocardless.services.InstalmentScheduleService.InstalmentScheduleCreateWithScheduleRequest;
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

/** Instalment schedules on a team's mandates: create (with dates or a schedule), reads, cancel. */
@Service
public class InstalmentScheduleService {

  private final GoCardless gocardless;
  private final GoCardlessCreates creates;
  private final Projections projections;
  private final Views views;
  private final GoCardlessCreates.Resource<InstalmentSchedule, CreateInstalmentSchedule> schedules;

  InstalmentScheduleService(
      GoCardless gocardless, GoCardlessCreates creates, Projections projections, Views views) {
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.views = views;
    this.schedules =
        new GoCardlessCreates.Resource<>(
            "instalment-schedule",
            Kind.INSTALMENT_SCHEDULE,
            (c, id) -> c.instalmentSchedules().get(id).execute(),
            InstalmentScheduleService::sameRequest,
            views::instalmentSchedule);
  }

  public IdempotentCreates.Result<ObjectNode> create(
      String team, String idempotencyKey, CreateInstalmentSchedule request) {
    Projected mandate = projections.owned(Kind.MANDATE, request.mandateId(), team);
    return creates.create(
        schedules,
        team,
        idempotencyKey,
        request,
        GoCardlessCreates.Owner.of(mandate),
        (c, key) ->
            request.schedule() == null
                ? withDates(c, request, key)
                : withSchedule(c, request, key));
  }

  private static InstalmentSchedule withDates(
      GoCardlessClient c, CreateInstalmentSchedule r, String key) {
    var create =
        c.instalmentSchedules()
            .createWithDates()
            .withName(r.name())
            .withCurrency(InstalmentScheduleCreateWithDatesRequest.Currency.valueOf(r.currency()))
            .withTotalAmount(r.totalAmount().intValue())
            .withLinksMandate(r.mandateId())
            .withIdempotencyKey(key);
    for (var instalment : r.instalments()) {
      var item =
          new InstalmentScheduleCreateWithDatesRequest.Instalments()
              .withChargeDate(instalment.chargeDate())
              .withAmount(instalment.amount() == null ? null : instalment.amount().intValue());
      Optional.ofNullable(instalment.description()).ifPresent(item::withDescription);
      create.withInstalments(item);
    }
    Optional.ofNullable(r.paymentReference()).ifPresent(create::withPaymentReference);
    Optional.ofNullable(r.retryIfPossible()).ifPresent(create::withRetryIfPossible);
    if (!r.metadata().isEmpty()) {
      create.withMetadata(r.metadata());
    }
    return create.execute();
  }

  private static InstalmentSchedule withSchedule(
      GoCardlessClient c, CreateInstalmentSchedule r, String key) {
    var schedule = r.schedule();
    var create =
        c.instalmentSchedules()
            .createWithSchedule()
            .withName(r.name())
            .withCurrency(
                InstalmentScheduleCreateWithScheduleRequest.Currency.valueOf(r.currency()))
            .withTotalAmount(r.totalAmount().intValue())
            .withLinksMandate(r.mandateId())
            .withInstalmentsStartDate(schedule.startDate())
            .withInstalmentsInterval(schedule.interval())
            .withInstalmentsIntervalUnit(
                InstalmentScheduleCreateWithScheduleRequest.Instalments.IntervalUnit.valueOf(
                    String.valueOf(schedule.intervalUnit()).toUpperCase(Locale.ROOT)))
            .withInstalmentsAmounts(
                schedule.amounts() == null
                    ? java.util.List.of()
                    : schedule.amounts().stream().map(Long::intValue).toList())
            .withIdempotencyKey(key);
    Optional.ofNullable(r.paymentReference()).ifPresent(create::withPaymentReference);
    Optional.ofNullable(r.retryIfPossible()).ifPresent(create::withRetryIfPossible);
    if (!r.metadata().isEmpty()) {
      create.withMetadata(r.metadata());
    }
    return create.execute();
  }

  public ObjectNode get(String team, String id) {
    return projections.view(Kind.INSTALMENT_SCHEDULE, id, team);
  }

  public Page list(String team, ListQuery query) {
    return projections.list(Kind.INSTALMENT_SCHEDULE, team, query);
  }

  public ObjectNode cancel(String team, String id) {
    var current = projections.owned(Kind.INSTALMENT_SCHEDULE, id, team);
    var answer =
        gocardless.once(current.merchantId(), c -> c.instalmentSchedules().cancel(id).execute());
    return projections.refresh(
        current,
        views.instalmentSchedule(answer, current.merchantId(), team, current.organisationId()));
  }

  static boolean sameRequest(InstalmentSchedule made, CreateInstalmentSchedule asked) {
    return made.getTotalAmount() != null
        && made.getTotalAmount().longValue() == asked.totalAmount()
        && made.getLinks() != null
        && asked.mandateId().equals(made.getLinks().getMandate());
  }
}
