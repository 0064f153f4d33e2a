package io.paybridge.billing.subscription;

import java.util.Map;
import java.util.Set;

/**
 * Payments collected on a mandate of the team's on a schedule.
 *
 * @param amount each payment, in minor units
 * @param intervalUnit {@code weekly}, {@code monthly} or {@code yearly}
 * @param dayOfMonth 1-28, or -1 for the last day (not weekly)
 * @param count how many payments; absent: until cancelled
 */
public record CreateSubscription(
    String mandateId,
    Long amount,
    String currency,
    String name,
    String intervalUnit,
    Integer interval,
    Integer dayOfMonth,
    String startDate,
    Integer count,
    String paymentReference,
    Boolean retryIfPossible,
    Map<String, String> metadata) {

  static final Set<String> UNITS = Set.of("weekly", "monthly", "yearly");

  public CreateSubscription {
    if (mandateId == null || mandateId.isBlank()) {
      throw new IllegalArgumentException("mandateId is required");
    }
    if (amount == null || amount < 1 || amount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("amount must be a positive amount in minor units");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as GBP");
    }
    if (intervalUnit == null || !UNITS.contains(intervalUnit)) {
      throw new IllegalArgumentException("intervalUnit must be weekly, monthly or yearly");
    }
    if (startDate != null && !startDate.matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw new IllegalArgumentException("startDate must be YYYY-MM-DD");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** What may change on a subscription (GoCardless: at most 10 amount changes). */
  public record Update(
      Long amount, String name, String paymentReference, Map<String, String> metadata) {}

  /**
   * @param pauseCycles how many cycles to skip; absent: until resumed
   */
  public record Pause(Integer pauseCycles) {}
}
