package io.paybridge.platform.outbox.erasure;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureApplied;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.OutboxWriter;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * A service's consumer of {@code payers.erasure}: applies each {@code PayerErasureRequested} once
 * with the service's {@link PayerErasureApplier} and, in the same transaction, appends the
 * service's {@code PayerErasureApplied} to its outbox. Acknowledgements are recorded once when the
 * service has {@link ErasureAcknowledgements}, and change nothing otherwise; so do fact types added
 * later. A record that cannot be read is poison (dead-lettered, never retried).
 */
public class PayerErasureListener {

  private final IdempotentConsumer idempotent;
  private final PayerErasureApplier applier;
  private final ErasureAcknowledgements acknowledgements;
  private final OutboxWriter outbox;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final String consumer;

  /**
   * @param acknowledgements where acknowledgements are recorded, or {@code null} to ignore them
   */
  public PayerErasureListener(
      IdempotentConsumer idempotent,
      PayerErasureApplier applier,
      ErasureAcknowledgements acknowledgements,
      OutboxWriter outbox,
      ObjectMapper mapper,
      Clock clock) {
    this.idempotent = idempotent;
    this.applier = applier;
    this.acknowledgements = acknowledgements;
    this.outbox = outbox;
    this.mapper = mapper;
    this.clock = clock;
    this.consumer = applier.service() + ".erasure";
  }

  @KafkaListener(topics = Topics.PAYERS_ERASURE)
  public void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    switch (type) {
      case "PayerErasureRequested" -> {
        var request = read(record, eventId, type, PayerErasureRequested.class);
        idempotent.apply(consumer, record, eventId, () -> erase(request, eventId));
      }
      case "PayerErasureApplied" -> {
        if (acknowledgements == null) {
          return;
        }
        var applied = read(record, eventId, type, PayerErasureApplied.class);
        UUID requestId;
        try {
          requestId = UUID.fromString(applied.requestId());
        } catch (IllegalArgumentException | NullPointerException e) {
          throw unreadable(eventId, type, e);
        }
        idempotent.apply(
            consumer,
            record,
            eventId,
            () ->
                acknowledgements.acknowledge(
                    requestId, applied.service(), applied.rowsChanged(), applied.appliedAt()));
      }
      default -> {
        // A fact type added later changes nothing here.
      }
    }
  }

  private void erase(PayerErasureRequested request, String eventId) {
    int changed = applier.erase(request, eventId);
    var applied =
        new PayerErasureApplied(request.requestId(), applier.service(), changed, clock.instant());
    outbox.append(applied.toOutboxEvent(mapper.writeValueAsString(applied)));
  }

  private <T> T read(
      ConsumerRecord<String, String> record, String eventId, String type, Class<T> as) {
    try {
      return mapper.readValue(record.value(), as);
    } catch (JacksonException | NullPointerException e) {
      throw unreadable(eventId, type, e);
    }
  }

  private static PoisonMessageException unreadable(String eventId, String type, Exception e) {
    return new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
  }
}
