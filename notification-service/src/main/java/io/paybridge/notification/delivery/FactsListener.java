package io.paybridge.notification.delivery;

import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.outbox.ConsumerProperties;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Transport for the platform's facts: {@code merchants.connection} and every {@code billing.*}
 * topic (matched by pattern, so a billing topic added later is read without a change here; their
 * dead-letter topics have more segments and do not match). Facts are read generically: type from
 * the {@code eventType} header, team from {@code tenant}, data = the JSON value. Each fact is
 * applied once ({@link IdempotentConsumer}): its deliveries are created in the same transaction as
 * its id is recorded.
 *
 * <p>The records of one poll are applied in one transaction (each fact still through {@link
 * IdempotentConsumer}, which joins it): a commit, a WAL flush, per fact would cap the service at a
 * few hundred facts a second. A record that cannot be read is found before the transaction: the
 * ones before it are applied and committed, and it is reported by index (dead-lettered at once as
 * poison). A failure while applying rolls the whole poll back and is reported at the first record,
 * so that the platform's error handler retries from there with its usual classification (transient
 * failures for as long as they last); nothing of the poll was applied, nothing is skipped.
 */
@Component
class FactsListener {

  static final String CONSUMER = "notification-service";

  /** The topics read: merchants.connection and billing.&lt;entity&gt;. */
  static final String TOPICS = "merchants\\.connection|billing\\.[a-z0-9]+(-[a-z0-9]+)*";

  private static final Logger log = LoggerFactory.getLogger(FactsListener.class);

  private final IdempotentConsumer idempotent;
  private final DeliveryPlanner planner;
  private final ObjectMapper mapper;
  private final TransactionTemplate transactions;

  FactsListener(
      IdempotentConsumer idempotent,
      DeliveryPlanner planner,
      ObjectMapper mapper,
      PlatformTransactionManager transactionManager,
      ConsumerProperties consumer) {
    this.idempotent = idempotent;
    this.planner = planner;
    this.mapper = mapper;
    this.transactions = new TransactionTemplate(transactionManager);
    // As IdempotentConsumer's own: a hanging database fails the poll as transient.
    transactions.setTimeout((int) Math.max(1, consumer.transactionTimeout().toSeconds()));
  }

  @KafkaListener(topicPattern = TOPICS, batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    var facts = new ArrayList<Fact>();
    var factRecords = new ArrayList<ConsumerRecord<String, String>>();
    PoisonMessageException poison = null;
    int poisonIndex = -1;
    for (int i = 0; i < records.size(); i++) {
      try {
        Fact fact = read(records.get(i));
        if (fact != null) {
          facts.add(fact);
          factRecords.add(records.get(i));
        }
      } catch (PoisonMessageException e) {
        poison = e;
        poisonIndex = i;
        break;
      }
    }
    if (!facts.isEmpty()) {
      try {
        transactions.executeWithoutResult(
            status -> {
              var subscribers =
                  new java.util.HashMap<
                      String, List<io.paybridge.notification.endpoint.Subscriber>>();
              var rows = new ArrayList<DeliveryRepository.NewDelivery>();
              for (int i = 0; i < facts.size(); i++) {
                Fact fact = facts.get(i);
                // With its record: the apply continues the fact's trace.
                idempotent.apply(
                    CONSUMER,
                    factRecords.get(i),
                    fact.id(),
                    () -> rows.addAll(planner.prepare(fact, subscribers)));
              }
              // Same transaction as the consumed_message rows: inserted together, at the end.
              planner.insert(rows);
            });
      } catch (RuntimeException e) {
        throw new BatchListenerFailedException("Facts could not be applied", e, 0);
      }
    }
    if (poison != null) {
      throw new BatchListenerFailedException(poison.getMessage(), poison, poisonIndex);
    }
  }

  /** The fact of a record; null when it names no team (nobody to deliver to). */
  private Fact read(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    String type = header(record, EventHeaders.EVENT_TYPE);
    if (type == null || type.isBlank()) {
      throw new PoisonMessageException("Fact " + eventId + " has no eventType header");
    }
    String team = header(record, EventHeaders.TENANT);
    if (team == null || team.isBlank()) {
      // No team, no subscriber: nothing to deliver, nothing to retry.
      log.debug("Fact {} ({}) names no team: not delivered", eventId, type);
      return null;
    }
    JsonNode data;
    try {
      data = record.value() == null ? null : mapper.readTree(record.value());
    } catch (JacksonException e) {
      throw new PoisonMessageException("Fact " + eventId + " is not JSON", e);
    }
    if (data == null || !data.isObject()) {
      throw new PoisonMessageException("Fact " + eventId + " is not a JSON object");
    }
    return new Fact(eventId, record.topic(), type, team, time(record), record.value(), data);
  }

  /** When the fact happened as its producer says (ce_time, createdAt), else the record's time. */
  private static Instant time(ConsumerRecord<String, String> record) {
    for (String name : new String[] {CloudEventHeaders.TIME, EventHeaders.CREATED_AT}) {
      String value = header(record, name);
      if (value != null) {
        try {
          return Instant.parse(value);
        } catch (DateTimeException e) {
          // the next one
        }
      }
    }
    return Instant.ofEpochMilli(record.timestamp());
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
