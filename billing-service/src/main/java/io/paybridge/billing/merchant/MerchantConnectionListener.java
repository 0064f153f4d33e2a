package io.paybridge.billing.merchant;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantVerificationChanged;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps {@code merchant} up to date from {@code merchants.connection}: which team owns which
 * merchant and organisation, and whether it is connected. That is how the API knows a team's
 * merchants and the organisation of a GoCardless event.
 */
@Component
class MerchantConnectionListener {

  static final String CONSUMER = "billing-service.merchants";

  private final IdempotentConsumer idempotent;
  private final MerchantRepository merchants;
  private final ObjectMapper mapper;

  MerchantConnectionListener(
      IdempotentConsumer idempotent, MerchantRepository merchants, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.merchants = merchants;
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
                  merchants.connected(
                      e.merchantId(),
                      e.team(),
                      e.organisationId(),
                      e.creditorId(),
                      e.verificationStatus(),
                      e.connectedAt()));
        }
        case "MerchantVerificationChanged" -> {
          var e = mapper.readValue(record.value(), MerchantVerificationChanged.class);
          idempotent.apply(
              CONSUMER,
              eventId,
              () ->
                  merchants.verificationChanged(
                      e.merchantId(), e.verificationStatus(), e.changedAt()));
        }
        case "MerchantDisconnected" -> {
          var e = mapper.readValue(record.value(), MerchantDisconnected.class);
          idempotent.apply(
              CONSUMER,
              eventId,
              () ->
                  merchants.disconnected(
                      e.merchantId(), e.team(), e.organisationId(), e.disconnectedAt()));
        }
        default -> {
          // A fact type added later changes nothing here.
        }
      }
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
  }
}
