package io.paybridge.platform.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes GoCardless-shaped webhook deliveries with unique event ids (per run and phase, so nothing
 * is deduplicated) and signs them as GoCardless does: {@code Webhook-Signature} = lowercase hex
 * HMAC-SHA256 of the raw body with the endpoint secret. Used by bench/ and faults/.
 */
public final class SignedWebhooks {

  public static final String ORGANISATION = "OR0000BENCH001";
  public static final String RESOURCE_TYPE = "payments";
  public static final String ACTION = "confirmed";

  private final Mac prototype;
  private final String runId;
  private final AtomicLong sequence = new AtomicLong();

  /** One event of a delivery, with the columns the service derives from it. */
  public record Event(String id, String paymentId, Instant createdAt, String json) {}

  /** A signed delivery: its events, the exact body and its signature. */
  public record Webhook(String webhookId, List<Event> events, byte[] body, String signature) {}

  public SignedWebhooks(String secret, String runId) {
    try {
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.runId = runId;
  }

  /** A new delivery of {@code size} events never sent before; ids carry {@code phase}. */
  public Webhook next(String phase, int size) {
    var events = new ArrayList<Event>(size);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (int i = 0; i < size; i++) {
      long n = sequence.incrementAndGet();
      String id = "EV" + runId + phase + Long.toString(n, 36).toUpperCase();
      String payment =
          "PM" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 50), 36).toUpperCase();
      events.add(payment(id, payment, now));
    }
    return deliver(phase, events);
  }

  /**
   * A {@code payments}/{@code confirmed} event of payment {@code paymentId} (the record's key once
   * published).
   */
  public static Event payment(String id, String paymentId, Instant createdAt) {
    String json =
        "{\"id\":\""
            + id
            + "\",\"created_at\":\""
            + createdAt
            + "\",\"resource_type\":\""
            + RESOURCE_TYPE
            + "\",\"action\":\""
            + ACTION
            + "\",\"links\":{\"payment\":\""
            + paymentId
            + "\",\"organisation\":\""
            + ORGANISATION
            + "\"},\"details\":{\"origin\":\"gocardless\",\"cause\":\"payment_confirmed\","
            + "\"description\":\"Enough time has passed since the payment was submitted for the"
            + " banks to return an error, so this payment is now confirmed.\"},"
            + "\"metadata\":{}}";
    return new Event(id, paymentId, createdAt, json);
  }

  /** A signed delivery of {@code events} (their JSON as given), with a new webhook id. */
  public Webhook deliver(String phase, List<Event> events) {
    var body = new StringBuilder(200 + events.size() * 420).append("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append(events.get(i).json());
    }
    String webhookId =
        "WB" + runId + phase + Long.toString(sequence.incrementAndGet(), 36).toUpperCase();
    body.append("],\"meta\":{\"webhook_id\":\"").append(webhookId).append("\"}}");
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return new Webhook(webhookId, List.copyOf(events), bytes, sign(bytes));
  }

  public String sign(byte[] body) {
    try {
      var mac = (Mac) prototype.clone();
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
