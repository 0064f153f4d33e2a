package io.paybridge.platform.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents 1.0 attributes in Kafka binary content mode: each attribute is a header prefixed with
 * {@code ce_}, the record value is the event data.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "1.0";

  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String SPECVERSION = "ce_specversion";
  public static final String TIME = "ce_time";
  public static final String CONTENT_TYPE = "content-type";

  private CloudEventHeaders() {}

  /**
   * The CloudEvents headers for an event.
   *
   * @param id the event id (unique per source)
   * @param type the event type
   * @param source a URI-reference naming the producing service, e.g. {@code
   *     /paybridge/webhook-ingest}
   * @param time when the event happened
   */
  public static Map<String, String> of(String id, String type, String source, Instant time) {
    var headers = new LinkedHashMap<String, String>();
    headers.put(ID, id);
    headers.put(TYPE, type);
    headers.put(SOURCE, source);
    headers.put(SPECVERSION, SPEC_VERSION);
    headers.put(TIME, time.toString());
    headers.put(CONTENT_TYPE, "application/json");
    return headers;
  }
}
