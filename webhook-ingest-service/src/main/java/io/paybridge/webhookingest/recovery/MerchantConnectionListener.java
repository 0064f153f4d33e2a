package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Learns the connected organisations from oauth-service's {@code merchants.connection} facts,
 * through the idempotent consumer: which merchant's token reads which organisation's events, and
 * since when. A fact rather than a call to oauth-service at each pass: the list is here when
 * oauth-service is not, and oauth-service offers no list of every merchant to a service.
 */
@Component
@RecoveryEnabled
class MerchantConnectionListener {

  static final String CONSUMER = "webhook-ingest-service.recovery-merchants";

  private final IdempotentConsumer idempotent;
  private final RecoveryRepository recoveries;
  private final ObjectMapper mapper;

  MerchantConnectionListener(
      IdempotentConsumer idempotent, RecoveryRepository recoveries, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.recoveries = recoveries;
    this.mapper = mapper;
  }

  @KafkaListener(topics = Topics.MERCHANTS_CONNECTION)
  void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    try {
      switch (type) {
        case "MerchantConnected" -> {
          var e = mapper.readValue(record.value(), MerchantConnected.class);
          idempotent.apply(
              CONSUMER,
              eventId,
              () ->
                  recoveries.connected(
                      e.merchantId(),
                      e.team(),
                      e.organisationId(),
                      orRecordTime(e.connectedAt(), record)));
        }
        case "MerchantDisconnected" -> {
          var e = mapper.readValue(record.value(), MerchantDisconnected.class);
          idempotent.apply(
              CONSUMER,
              eventId,
              () ->
                  recoveries.disconnected(
                      e.merchantId(),
                      e.team(),
                      e.organisationId(),
                      orRecordTime(e.disconnectedAt(), record)));
        }
        default -> {
          // MerchantVerificationChanged and facts added later change nothing here.
        }
      }
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
  }

  private static Instant orRecordTime(Instant at, ConsumerRecord<?, ?> record) {
    return at != null ? at : Instant.ofEpochMilli(record.timestamp());
  }
}
