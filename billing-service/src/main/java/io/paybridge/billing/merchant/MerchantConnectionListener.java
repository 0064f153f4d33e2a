package io.paybridge.billing.merchant;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.merchants.MerchantConnectionConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps {@code merchant} up to date from {@code merchants.connection}: which team owns which
 * merchant and organisation, and whether it is connected. That is how the API knows a team's
 * merchants and the organisation of a GoCardless event.
 */
@Component
class MerchantConnectionListener {

  static final String CONSUMER = "billing-service.merchants";

  private final MerchantConnectionConsumer facts;

  MerchantConnectionListener(
      IdempotentConsumer idempotent, MerchantRepository merchants, ObjectMapper mapper) {
    this.facts =
        MerchantConnectionConsumer.named(CONSUMER, idempotent, mapper)
            .onConnected(
                (e, recordTime) ->
                    merchants.connected(
                        e.merchantId(),
                        e.team(),
                        e.organisationId(),
                        e.creditorId(),
                        e.verificationStatus(),
                        e.connectedAt()))
            .onVerificationChanged(
                (e, recordTime) ->
                    merchants.verificationChanged(
                        e.merchantId(), e.verificationStatus(), e.changedAt()))
            .onDisconnected(
                (e, recordTime) ->
                    merchants.disconnected(
                        e.merchantId(), e.team(), e.organisationId(), e.disconnectedAt()));
  }

  @KafkaListener(topics = Topics.MERCHANTS_CONNECTION)
  void on(ConsumerRecord<String, String> record) {
    facts.accept(record);
  }
}
