package io.paybridge.simulator.subscriptions;

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
import java.time.Month;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /subscriptions}: request parsing over {@link Subscriptions}. */
public final class SubscriptionsApi {
  static final List<String> INTERVAL_UNITS = List.of("weekly", "monthly", "yearly");

  private final State state;
  private final Mandates mandates;
  private final Subscriptions subscriptions;
  private final ResourceApi<Subscription> api;

  public SubscriptionsApi(State state, Mandates mandates, Subscriptions subscriptions) {
    this.state = state;
    this.mandates = mandates;
    this.subscriptions = subscriptions;
    this.api =
        ResourceApi.of(subscriptions.type)
            .render(subscriptions::render)
            .links(s -> s.links)
            .creates(this::create)
            .updates(this::update)
            .action(
                "pause",
                (s, r) -> {
                  Long cycles = Json.number(r.data(), "pause_cycles");
                  if (cycles != null && (cycles == Long.MIN_VALUE || cycles > Integer.MAX_VALUE)) {
                    new ApiException.Validation("data")
                        .field("pause_cycles", "must be a number")
                        .throwIfInvalid();
                  }
                  return subscriptions.pause(
                      s,
                      cycles == null ? null : cycles.intValue(),
                      Json.validMetadata(r.data(), "data"));
                })
            .action(
                "resume",
                (s, r) -> subscriptions.resume(s, "api", Json.validMetadata(r.data(), "data")))
            .action(
                "cancel", (s, r) -> subscriptions.cancel(s, Json.validMetadata(r.data(), "data")))
            .linkFilters("mandate")
            .filter(
                "customer",
                (s, value) -> {
                  Mandate m = state.mandates.get(s.links.get("mandate"));
                  return m != null && value.equals(m.links.get("customer"));
                })
            .anyOfFilter("status", s -> s.status);
  }

  public ResourceApi<Subscription> api() {
    return api;
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }

  private Subscription create(ApiRequest r) {
    JsonNode body = r.envelope("subscriptions");
    ApiException.Validation v = new ApiException.Validation("subscriptions");
    Mandate mandate = state.mandates.linked(body, "mandate", r.organisationId(), v);
    v.throwIfInvalid();
    Mandates.requireActive(mandate);
    Subscription s = read(body, mandate, r.token().viaApp(), "", v);
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    if (metadata != null) {
      s.metadata = metadata;
    }
    return subscriptions.create(mandate, s, "api", metadata);
  }

  /**
   * Checks a billing request's {@code subscription_request} before its mandate exists: a new
   * mandate on {@code scheme} stands in for it.
   */
  public void check(JsonNode request, String scheme, boolean viaApp, ApiException.Validation v) {
    Mandate prototype = new Mandate();
    prototype.scheme = scheme;
    read(request, prototype, viaApp, "subscription_request.", v);
    Json.metadata(request, "subscription_request", v);
  }

  /**
   * Starts a fulfilled billing request's {@code subscription_request} on its new mandate; a {@code
   * start_date} now before the mandate's next possible charge date gives way to that date.
   */
  public Subscription start(Mandate mandate, JsonNode request, boolean viaApp) {
    ObjectNode copy = (ObjectNode) request.deepCopy();
    String start = Json.text(copy, "start_date");
    if (start != null
        && LocalDate.parse(start).isBefore(mandates.nextPossibleChargeDate(mandate))) {
      copy.remove("start_date");
    }
    ApiException.Validation v = new ApiException.Validation("subscription_request");
    Subscription s = read(copy, mandate, viaApp, "", v);
    Map<String, String> metadata = Json.metadata(copy, null, v);
    v.throwIfInvalid();
    if (metadata != null) {
      s.metadata = metadata;
    }
    return subscriptions.create(mandate, s, "api", null);
  }

  /**
   * Reads and checks a subscription's schedule and amounts ({@code POST /subscriptions} fields, or
   * a billing request's {@code subscription_request} with {@code prefix}) for {@code mandate}.
   */
  public Subscription read(
      JsonNode body, Mandate mandate, boolean viaApp, String prefix, ApiException.Validation v) {
    Subscription s = new Subscription();
    Long amount = Json.number(body, "amount");
    if (amount == null) {
      v.field(prefix + "amount", "is required");
    } else if (amount <= 0) {
      v.field(prefix + "amount", "must be greater than 0");
    } else {
      s.amount = amount;
    }
    s.currency = Json.text(body, "currency");
    String schemeCurrency = Banks.currencyOfScheme(mandate.scheme);
    if (s.currency == null) {
      v.field(prefix + "currency", "is required");
    } else if (!schemeCurrency.equals(s.currency)) {
      v.field(prefix + "currency", "must be " + schemeCurrency + " for this mandate");
    }
    s.intervalUnit = Json.text(body, "interval_unit");
    if (s.intervalUnit == null) {
      v.field(prefix + "interval_unit", "is required");
    } else if (!INTERVAL_UNITS.contains(s.intervalUnit)) {
      v.field(prefix + "interval_unit", "must be one of weekly, monthly, yearly");
    }
    Long interval = Json.number(body, "interval");
    if (interval != null) {
      if (interval < 1 || interval > 1000) {
        v.field(prefix + "interval", "must be greater than or equal to 1");
      } else {
        s.interval = interval.intValue();
      }
    }
    Long dayOfMonth = Json.number(body, "day_of_month");
    if (dayOfMonth != null) {
      if (dayOfMonth != -1 && (dayOfMonth < 1 || dayOfMonth > 28)) {
        v.field(prefix + "day_of_month", "must be between 1 and 28, or -1");
      } else if ("weekly".equals(s.intervalUnit)) {
        v.field(prefix + "day_of_month", "can't be set for weekly subscriptions");
      } else {
        s.dayOfMonth = dayOfMonth.intValue();
      }
    }
    s.month = Json.text(body, "month");
    Month month = null;
    if (s.month != null) {
      try {
        month = Month.valueOf(s.month.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        v.field(prefix + "month", "must be a lower-case month name");
      }
      if (!"yearly".equals(s.intervalUnit)) {
        v.field(prefix + "month", "can only be set for yearly subscriptions");
      } else if (s.dayOfMonth == null) {
        v.field(prefix + "day_of_month", "is required when month is set");
      }
    }
    Long count = Json.number(body, "count");
    if (count != null) {
      if (count < 1 || count > 10_000) {
        v.field(prefix + "count", "must be greater than or equal to 1");
      } else {
        s.count = count.intValue();
      }
    }
    LocalDate earliest = mandates.nextPossibleChargeDate(mandate);
    LocalDate start = date(body, "start_date", prefix, v);
    if (start != null && start.isBefore(earliest)) {
      v.field(prefix + "start_date", "must be on or after mandate's next_possible_charge_date");
    }
    LocalDate end = date(body, "end_date", prefix, v);
    if (end != null && count != null) {
      v.field(prefix + "end_date", "can't be combined with count");
    }
    s.name = Json.text(body, "name");
    s.paymentReference = Json.text(body, "payment_reference");
    int maxReference = Banks.maxReferenceLength(mandate.scheme);
    if (s.paymentReference != null
        && maxReference > 0
        && s.paymentReference.length() > maxReference) {
      v.field(
          prefix + "payment_reference", "is too long (maximum is " + maxReference + " characters)");
    }
    Long appFee = Json.number(body, "app_fee");
    if (appFee != null && !viaApp) {
      v.field(prefix + "app_fee", "can only be set when using an app's access token");
    } else if (appFee != null && amount != null && (appFee < 0 || appFee > amount)) {
      v.field(prefix + "app_fee", "must be between 0 and the amount");
    }
    s.appFee = appFee;
    Boolean retry = Json.bool(body, "retry_if_possible");
    s.retryIfPossible = retry != null && retry;
    if (v.hasErrors()) {
      return s;
    }
    s.first = firstDate(s, start != null ? start : earliest, month);
    if (end != null && !end.isAfter(s.first)) {
      v.field(prefix + "end_date", "must be after the start date");
    }
    s.endDate = end == null ? null : end.toString();
    return s;
  }

  /**
   * The first collection date on or after {@code from}, on the given month and day; with none
   * given, {@code from} itself, whose day (or the last day, past the 28th) becomes the day of
   * month.
   */
  static LocalDate firstDate(Subscription s, LocalDate from, Month month) {
    if ("weekly".equals(s.intervalUnit)) {
      return from;
    }
    if (s.dayOfMonth == null) {
      s.dayOfMonth = from.getDayOfMonth() <= 28 ? from.getDayOfMonth() : -1;
    }
    if ("yearly".equals(s.intervalUnit) && month == null) {
      s.month = from.getMonth().name().toLowerCase(Locale.ROOT);
      month = from.getMonth();
    }
    LocalDate candidate = Subscriptions.onDay(from, s.dayOfMonth);
    if ("yearly".equals(s.intervalUnit)) {
      candidate =
          Subscriptions.onDay(from.withDayOfMonth(1).withMonth(month.getValue()), s.dayOfMonth);
      while (candidate.isBefore(from)) {
        candidate = Subscriptions.onDay(candidate.withDayOfMonth(1).plusYears(1), s.dayOfMonth);
      }
      return candidate;
    }
    while (candidate.isBefore(from)) {
      candidate = Subscriptions.onDay(candidate.withDayOfMonth(1).plusMonths(1), s.dayOfMonth);
    }
    return candidate;
  }

  private static LocalDate date(
      JsonNode body, String field, String prefix, ApiException.Validation v) {
    String value = Json.text(body, field);
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      v.field(prefix + field, "is not a valid date (YYYY-MM-DD)");
      return null;
    }
  }

  private void update(Subscription s, JsonNode body) {
    ApiException.Validation v = new ApiException.Validation("subscriptions");
    Long amount = Json.number(body, "amount");
    if (amount != null && amount <= 0) {
      v.field("amount", "must be greater than 0");
    }
    Long appFee = Json.number(body, "app_fee");
    if (appFee != null && appFee < 0) {
      v.field("app_fee", "must be greater than or equal to 0");
    }
    Map<String, String> metadata = Json.metadata(body, null, v);
    v.throwIfInvalid();
    subscriptions.amend(s, amount, null);
    if (appFee != null) {
      s.appFee = appFee;
    }
    if (body.has("name")) {
      s.name = Json.text(body, "name");
    }
    if (body.has("payment_reference")) {
      s.paymentReference = Json.text(body, "payment_reference");
    }
    Boolean retry = Json.bool(body, "retry_if_possible");
    if (retry != null) {
      s.retryIfPossible = retry;
    }
    if (metadata != null) {
      s.metadata = metadata;
    }
  }
}
