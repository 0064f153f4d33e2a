package io.paybridge.platform.outbox.merchants;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantVerificationChanged;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads {@code merchants.connection} records for a service's listener: picks the fact by its {@code
 * eventType} header, reads it (a payload that is not the fact's JSON is poison: dead-lettered,
 * never retried) and applies the service's handler for that fact once, under the service's
 * idempotent consumer name. A fact the service declares no handler for, and a fact type added
 * later, is neither read nor recorded.
 *
 * <p>Each handler gets the fact and the Kafka record's timestamp (for a fact that carries no time
 * of its own), in the idempotent consumer's transaction.
 */
public final class MerchantConnectionConsumer {

  private final IdempotentConsumer idempotent;
  private final ObjectMapper mapper;
  private final String consumer;
  private final BiConsumer<MerchantConnected, Instant> connected;
  private final BiConsumer<MerchantVerificationChanged, Instant> verificationChanged;
  private final BiConsumer<MerchantDisconnected, Instant> disconnected;

  private MerchantConnectionConsumer(
      IdempotentConsumer idempotent,
      ObjectMapper mapper,
      String consumer,
      BiConsumer<MerchantConnected, Instant> connected,
      BiConsumer<MerchantVerificationChanged, Instant> verificationChanged,
      BiConsumer<MerchantDisconnected, Instant> disconnected) {
    this.idempotent = idempotent;
    this.mapper = mapper;
    this.consumer = consumer;
    this.connected = connected;
    this.verificationChanged = verificationChanged;
    this.disconnected = disconnected;
  }

  /**
   * A consumer that handles no fact yet.
   *
   * @param consumer the service's idempotent consumer name for this topic
   */
  public static MerchantConnectionConsumer named(
      String consumer, IdempotentConsumer idempotent, ObjectMapper mapper) {
    return new MerchantConnectionConsumer(idempotent, mapper, consumer, null, null, null);
  }

  public MerchantConnectionConsumer onConnected(BiConsumer<MerchantConnected, Instant> handler) {
    return new MerchantConnectionConsumer(
        idempotent, mapper, consumer, handler, verificationChanged, disconnected);
  }

  public MerchantConnectionConsumer onVerificationChanged(
      BiConsumer<MerchantVerificationChanged, Instant> handler) {
    return new MerchantConnectionConsumer(
        idempotent, mapper, consumer, connected, handler, disconnected);
  }

  public MerchantConnectionConsumer onDisconnected(
      BiConsumer<MerchantDisconnected, Instant> handler) {
    return new MerchantConnectionConsumer(
        idempotent, mapper, consumer, connected, verificationChanged, handler);
  }

  /** Applies the record's fact once, if this consumer has a handler for it. */
  public void accept(ConsumerRecord<String, String> record) {
    // A record without an id is poison whatever its type, as in every platform consumer.
    String eventId = IdempotentConsumer.eventId(record);
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    switch (type) {
      case "MerchantConnected" -> apply(record, eventId, type, MerchantConnected.class, connected);
      case "MerchantVerificationChanged" ->
          apply(record, eventId, type, MerchantVerificationChanged.class, verificationChanged);
      case "MerchantDisconnected" ->
          apply(record, eventId, type, MerchantDisconnected.class, disconnected);
      default -> {
        // A fact type added later changes nothing here.
      }
    }
  }

  private <T> void apply(
      ConsumerRecord<String, String> record,
      String eventId,
      String type,
      Class<T> as,
      BiConsumer<T, Instant> handler) {
    if (handler == null) {
      return;
    }
    T fact;
    try {
      fact = mapper.readValue(record.value(), as);
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
    Instant recordTime = Instant.ofEpochMilli(record.timestamp());
    idempotent.apply(consumer, record, eventId, () -> handler.accept(fact, recordTime));
  }
}
