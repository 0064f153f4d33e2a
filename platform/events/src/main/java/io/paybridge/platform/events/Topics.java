package io.paybridge.platform.events;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kafka topic names of the platform (docs/architecture.md; docs/adr/0002-topic-naming.md).
 *
 * <p>Names are lowercase, dot-separated segments, hyphens inside a segment, no underscores: {@code
 * <domain>.<entity>}. Dead-letter topics append the consumer group and {@code dlt}.
 */
public final class Topics {

  /**
   * One topic per GoCardless resource type; the record payload is the event as GoCardless sent it.
   */
  public static final String GOCARDLESS_PAYMENTS = "gocardless.payments";

  public static final String GOCARDLESS_MANDATES = "gocardless.mandates";
  public static final String GOCARDLESS_BILLING_REQUESTS = "gocardless.billing-requests";
  public static final String GOCARDLESS_PAYOUTS = "gocardless.payouts";
  public static final String GOCARDLESS_REFUNDS = "gocardless.refunds";
  public static final String GOCARDLESS_SUBSCRIPTIONS = "gocardless.subscriptions";
  public static final String GOCARDLESS_INSTALMENT_SCHEDULES = "gocardless.instalment-schedules";
  public static final String GOCARDLESS_CREDITORS = "gocardless.creditors";
  public static final String GOCARDLESS_ORGANISATIONS = "gocardless.organisations";

  /** Every GoCardless resource type without a topic of its own: never dropped. */
  public static final String GOCARDLESS_OTHER = "gocardless.other";

  public static final String MERCHANTS_CONNECTION = "merchants.connection";
  public static final String BILLING_BILLING_REQUEST = "billing.billing-request";
  public static final String BILLING_PAYMENT = "billing.payment";
  public static final String BILLING_MANDATE = "billing.mandate";
  public static final String BILLING_SUBSCRIPTION = "billing.subscription";
  public static final String BILLING_REFUND = "billing.refund";
  public static final String BILLING_INSTALMENT_SCHEDULE = "billing.instalment-schedule";
  public static final String NOTIFICATIONS_DELIVERY = "notifications.delivery";

  /**
   * Erasure of a payer's personal data: the request (billing-service) and each service's
   * acknowledgement ({@code io.paybridge.platform.events.payers.PayerErasureEvent}).
   */
  public static final String PAYERS_ERASURE = "payers.erasure";

  /** Prefix of the relays' position topics ({@link #outboxOffsets(String)}): platform-internal. */
  public static final String OUTBOX_OFFSETS_PREFIX = "paybridge.outbox-offsets.";

  private static final Pattern VALID_NAME =
      Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

  private static final Map<String, String> GOCARDLESS_TOPIC_BY_RESOURCE_TYPE =
      Map.of(
          "payments", GOCARDLESS_PAYMENTS,
          "mandates", GOCARDLESS_MANDATES,
          "billing_requests", GOCARDLESS_BILLING_REQUESTS,
          "payouts", GOCARDLESS_PAYOUTS,
          "refunds", GOCARDLESS_REFUNDS,
          "subscriptions", GOCARDLESS_SUBSCRIPTIONS,
          "instalment_schedules", GOCARDLESS_INSTALMENT_SCHEDULES,
          "creditors", GOCARDLESS_CREDITORS,
          "organisations", GOCARDLESS_ORGANISATIONS);

  private Topics() {}

  /**
   * The topic for a GoCardless event's {@code resource_type}; {@link #GOCARDLESS_OTHER} for a type
   * without a topic of its own or none at all, so that an event is never dropped.
   */
  public static String forGoCardlessResourceType(String resourceType) {
    if (resourceType == null) {
      return GOCARDLESS_OTHER;
    }
    return GOCARDLESS_TOPIC_BY_RESOURCE_TYPE.getOrDefault(resourceType, GOCARDLESS_OTHER);
  }

  /** Every {@code gocardless.*} topic, in a stable order. */
  public static List<String> gocardlessTopics() {
    return List.of(
        GOCARDLESS_PAYMENTS,
        GOCARDLESS_MANDATES,
        GOCARDLESS_BILLING_REQUESTS,
        GOCARDLESS_PAYOUTS,
        GOCARDLESS_REFUNDS,
        GOCARDLESS_SUBSCRIPTIONS,
        GOCARDLESS_INSTALMENT_SCHEDULES,
        GOCARDLESS_CREDITORS,
        GOCARDLESS_ORGANISATIONS,
        GOCARDLESS_OTHER);
  }

  /**
   * The dead-letter topic where {@code consumerGroup} parks poison messages read from {@code
   * topic}.
   */
  public static String deadLetter(String topic, String consumerGroup) {
    return requireValid(topic) + "." + requireValid("x." + consumerGroup).substring(2) + ".dlt";
  }

  /**
   * The compacted topic where {@code serviceName}'s outbox relay records its source position (the
   * Debezium offset), in the same Kafka transaction as the records it relays: {@code
   * paybridge.outbox-offsets.<service>}. Written by that service's relay only; one partition.
   *
   * @throws IllegalArgumentException when the service name is not a valid topic segment
   */
  public static String outboxOffsets(String serviceName) {
    return requireValid(OUTBOX_OFFSETS_PREFIX + serviceName);
  }

  /** Whether a name follows the platform's topic naming rules. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= 249 && VALID_NAME.matcher(name).matches();
  }

  /**
   * Returns {@code name} when it follows the naming rules.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "Not a valid topic name: '"
              + name
              + "' (lowercase dot-separated segments, hyphens inside a segment, no underscores)");
    }
    return name;
  }
}
