package io.paybridge.billing.instalment;

import java.util.List;
import java.util.Map;

/**
 * Instalments on a mandate of the team's: either {@code instalments} with their dates, or a {@code
 * schedule}. {@code totalAmount} must be their sum (GoCardless checks).
 */
public record CreateInstalmentSchedule(
    String mandateId,
    String name,
    String currency,
    Long totalAmount,
    List<Instalment> instalments,
    Schedule schedule,
    String paymentReference,
    Boolean retryIfPossible,
    Map<String, String> metadata) {

  public CreateInstalmentSchedule {
    if (mandateId == null || mandateId.isBlank()) {
      throw new IllegalArgumentException("mandateId is required");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as GBP");
    }
    if (totalAmount == null || totalAmount < 1 || totalAmount > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("totalAmount must be a positive amount in minor units");
    }
    if ((instalments == null || instalments.isEmpty()) == (schedule == null)) {
      throw new IllegalArgumentException("give either instalments (with dates) or a schedule");
    }
    instalments = instalments == null ? List.of() : List.copyOf(instalments);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * @param chargeDate {@code YYYY-MM-DD}
   */
  public record Instalment(String chargeDate, Long amount, String description) {}

  /**
   * @param intervalUnit {@code weekly}, {@code monthly} or {@code yearly}
   */
  public record Schedule(
      String startDate, Integer interval, String intervalUnit, List<Long> amounts) {}
}
