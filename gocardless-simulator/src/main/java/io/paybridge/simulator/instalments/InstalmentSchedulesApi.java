package io.paybridge.simulator.instalments;

import io.paybridge.platform.events.gocardless.BankCalendar;
import io.paybridge.simulator.instalments.InstalmentSchedules.Instalment;
import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.mandates.Mandate;
import io.paybridge.simulator.mandates.Mandates;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code /instalment_schedules}: both create forms, on {@code POST /instalment_schedules} (API.md
 * §4.6) and on the paths the official Java client uses ({@code /create_with_dates}, {@code
 * /create_with_schedule}); the form is told by the body: "with dates" ({@code instalments} an array
 * of {@code {charge_date, amount, description}}) and "with schedule" ({@code instalments} an object
 * {@code {start_date, interval, interval_unit, amounts}}), over {@link InstalmentSchedules}.
 */
public final class InstalmentSchedulesApi {
  private final State state;
  private final Mandates mandates;
  private final InstalmentSchedules schedules;
  private final ResourceApi<InstalmentSchedule> api;

  public InstalmentSchedulesApi(State state, Mandates mandates, InstalmentSchedules schedules) {
    this.state = state;
    this.mandates = mandates;
    this.schedules = schedules;
    this.api =
        ResourceApi.of(schedules.type)
            .creates(this::create)
            .creates("/create_with_dates", this::create)
            .creates("/create_with_schedule", this::create)
            .updatesMetadata((s, metadata) -> s.metadata = metadata)
            .action("cancel", (s, r) -> schedules.cancel(s, Json.validMetadata(r.data(), "data")))
            .filter("mandate", (s, value) -> value.equals(s.links.mandate))
            .filter("customer", (s, value) -> value.equals(s.links.customer))
            .anyOfFilter("status", s -> s.status);
  }

  public ResourceApi<InstalmentSchedule> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private InstalmentSchedule create(ApiRequest r) {
    JsonNode body = r.envelope("instalment_schedules");
    ApiException.Validation v = new ApiException.Validation("instalment_schedules");
    Mandate mandate = state.mandates.linked(body, "mandate", r.organisationId(), v);
    v.throwIfInvalid();
    Mandates.requireActive(mandate);
    InstalmentSchedule s = new InstalmentSchedule();
    s.name = Json.text(body, "name");
    if (s.name == null || s.name.isBlank()) {
      v.field("name", "is required");
    }
    s.currency = Json.text(body, "currency");
    String schemeCurrency = Banks.currencyOfScheme(mandate.scheme);
    if (s.currency == null) {
      v.field("currency", "is required");
    } else if (!schemeCurrency.equals(s.currency)) {
      v.field("currency", "must be " + schemeCurrency + " for this mandate");
    }
    Long total = Json.number(body, "total_amount");
    if (total == null) {
      v.field("total_amount", "is required");
    } else if (total <= 0) {
      v.field("total_amount", "must be greater than 0");
    } else {
      s.totalAmount = total;
    }
    JsonNode node = body.get("instalments");
    List<Instalment> instalments;
    if (node != null && node.isArray()) {
      instalments = withDates(node, BankCalendar.of(mandate.scheme), v);
    } else if (node != null && node.isObject()) {
      instalments = withSchedule(node, mandate, v);
    } else {
      v.field("instalments", "is required (an array of instalments or a schedule)");
      instalments = List.of();
    }
    if (total != null && !instalments.isEmpty()) {
      long sum = instalments.stream().mapToLong(Instalment::amount).sum();
      if (sum != total) {
        v.field("total_amount", "must equal the sum of the instalment amounts (" + sum + ")");
      }
    }
    String reference = Json.text(body, "payment_reference");
    int maxReference = Banks.maxReferenceLength(mandate.scheme);
    if (reference != null && maxReference > 0 && reference.length() > maxReference) {
      v.field("payment_reference", "is too long (maximum is " + maxReference + " characters)");
    }
    Long appFee = Json.number(body, "app_fee");
    if (appFee != null && !r.token().viaApp()) {
      v.field("app_fee", "can only be set when using an app's access token");
    }
    Boolean retry = Json.bool(body, "retry_if_possible");
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    if (metadata != null) {
      s.metadata = metadata;
    }
    return schedules.create(
        mandate,
        s,
        instalments,
        new InstalmentSchedules.Terms(appFee, reference, retry != null && retry),
        metadata);
  }

  private static List<Instalment> withDates(
      JsonNode array, BankCalendar calendar, ApiException.Validation v) {
    List<Instalment> result = new ArrayList<>();
    if (array.isEmpty()) {
      v.field("instalments", "must have at least one instalment");
    }
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      Long amount = Json.number(item, "amount");
      LocalDate date = date(Json.text(item, "charge_date"), "instalments." + i + ".charge_date", v);
      if (amount == null || amount <= 0) {
        v.field("instalments." + i + ".amount", "must be greater than 0");
      }
      if (date == null) {
        v.field("instalments." + i + ".charge_date", "is required");
      }
      if (amount != null && amount > 0 && date != null) {
        result.add(
            new Instalment(calendar.rollForward(date), amount, Json.text(item, "description")));
      }
    }
    return result;
  }

  private List<Instalment> withSchedule(
      JsonNode schedule, Mandate mandate, ApiException.Validation v) {
    String unit = Json.text(schedule, "interval_unit");
    if (unit == null || !List.of("weekly", "monthly", "yearly").contains(unit)) {
      v.field("instalments.interval_unit", "must be one of weekly, monthly, yearly");
    }
    Long interval = Json.number(schedule, "interval");
    if (interval == null || interval < 1) {
      v.field("instalments.interval", "must be greater than or equal to 1");
    }
    JsonNode amounts = schedule.get("amounts");
    if (amounts == null || !amounts.isArray() || amounts.isEmpty()) {
      v.field("instalments.amounts", "must have at least one amount");
    }
    String startText = Json.text(schedule, "start_date");
    LocalDate start =
        startText == null
            ? mandates.nextPossibleChargeDate(mandate)
            : date(startText, "instalments.start_date", v);
    if (v.hasErrors() || start == null) {
      return List.of();
    }
    List<Instalment> result = new ArrayList<>();
    for (int i = 0; i < amounts.size(); i++) {
      long steps = interval * i;
      LocalDate nominal =
          switch (unit) {
            case "weekly" -> start.plusWeeks(steps);
            case "yearly" -> start.plusYears(steps);
            default -> start.plusMonths(steps);
          };
      Long amount = amounts.get(i).isIntegralNumber() ? amounts.get(i).asLong() : null;
      if (amount == null || amount <= 0) {
        v.field("instalments.amounts." + i, "must be greater than 0");
      } else {
        result.add(
            new Instalment(BankCalendar.of(mandate.scheme).rollForward(nominal), amount, null));
      }
    }
    return result;
  }

  private static LocalDate date(String value, String field, ApiException.Validation v) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      v.field(field, "is not a valid date (YYYY-MM-DD)");
      return null;
    }
  }
}
