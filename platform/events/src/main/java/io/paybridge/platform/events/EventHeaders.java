package io.paybridge.platform.events;

/**
 * Names of the Kafka record headers that every platform record carries (docs/architecture.md,
 * "Headers on every record"). Values are UTF-8 strings.
 */
public final class EventHeaders {

  /** The event id: the deduplication key of every consumer. */
  public static final String ID = "id";

  /** The event type, e.g. {@code payments.confirmed} or {@code MerchantConnected}. */
  public static final String EVENT_TYPE = "eventType";

  /** The internal team that owns the resource, where known. */
  public static final String TENANT = "tenant";

  /** The GoCardless organisation (merchant) the event is about, where known. */
  public static final String ORGANISATION_ID = "organisationId";

  /** W3C trace context of the request that caused the event. */
  public static final String TRACEPARENT = "traceparent";

  /** When the event was written to the outbox (ISO-8601); the relay lag is measured from it. */
  public static final String CREATED_AT = "createdAt";

  /** Set on dead-lettered records: the exception class and message that made them poison. */
  public static final String DLT_EXCEPTION_CLASS = "kafka_dlt-exception-fqcn";

  public static final String DLT_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

  private EventHeaders() {}
}
