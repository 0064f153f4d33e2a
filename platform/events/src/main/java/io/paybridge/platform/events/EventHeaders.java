package io.paybridge.platform.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.stream.Collectors;

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

  /** Set on dead-lettered records: the topic the record was read from. */
  public static final String DLT_ORIGINAL_TOPIC = "kafka_dlt-original-topic";

  /**
   * Where the relay places the {@code outbox_event} columns other than the record's topic ({@code
   * aggregatetype}), key ({@code aggregateid}) and value ({@code payload}): column → header, in
   * this order. {@code id} is the Outbox Event Router's event id field, which it writes as the
   * {@code id} header itself; the others are its "additional fields" ({@link
   * #debeziumAdditionalPlacement()}). A column whose value is {@code null} gives no header.
   */
  public static final SequencedMap<String, String> OUTBOX_COLUMN_HEADERS = outboxColumnHeaders();

  private EventHeaders() {}

  /**
   * {@link #OUTBOX_COLUMN_HEADERS} without {@code id}, in the form of the Outbox Event Router's
   * {@code table.fields.additional.placement}: {@code <column>:header:<header>,...}.
   */
  public static String debeziumAdditionalPlacement() {
    return OUTBOX_COLUMN_HEADERS.entrySet().stream()
        .filter(column -> !column.getKey().equals("id"))
        .map(column -> column.getKey() + ":header:" + column.getValue())
        .collect(Collectors.joining(","));
  }

  private static SequencedMap<String, String> outboxColumnHeaders() {
    var columns = new LinkedHashMap<String, String>();
    columns.put("id", ID);
    columns.put("type", EVENT_TYPE);
    columns.put("tenant", TENANT);
    columns.put("organisation_id", ORGANISATION_ID);
    columns.put("traceparent", TRACEPARENT);
    columns.put("created_at", CREATED_AT);
    return Collections.unmodifiableSequencedMap(columns);
  }
}
