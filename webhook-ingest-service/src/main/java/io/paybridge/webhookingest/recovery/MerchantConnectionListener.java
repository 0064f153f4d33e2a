package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.merchants.MerchantConnectionConsumer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Learns the connected organisations from oauth-service's {@code merchants.connection} facts,
 * through the idempotent consumer: which merchant's token reads which organisation's events, and
 * since when. A fact rather than a call to oauth-service at each pass: the list is here when
 * oauth-service is not, and oauth-service offers no list of every merchant to a service.
 * MerchantVerificationChanged changes nothing here.
 */
@Component
@RecoveryEnabled
class MerchantConnectionListener {

  static final String CONSUMER = "webhook-ingest-service.recovery-merchants";

  private final MerchantConnectionConsumer facts;

  MerchantConnectionListener(
      IdempotentConsumer idempotent, RecoveryRepository recoveries, ObjectMapper mapper) {
    this.facts =
        MerchantConnectionConsumer.named(CONSUMER, idempotent, mapper)
            .onConnected(
                (e, recordTime) ->
                    recoveries.connected(
                        e.merchantId(),
                        e.team(),
                        e.organisationId(),
                        orRecordTime(e.connectedAt(), recordTime)))
            .onDisconnected(
                (e, recordTime) ->
                    recoveries.disconnected(
                        e.merchantId(),
                        e.team(),
                        e.organisationId(),
                        orRecordTime(e.disconnectedAt(), recordTime)));
  }

  @KafkaListener(topics = Topics.MERCHANTS_CONNECTION)
  void on(ConsumerRecord<String, String> record) {
    facts.accept(record);
  }

  private static Instant orRecordTime(Instant at, Instant recordTime) {
    return at != null ? at : recordTime;
  }
}
