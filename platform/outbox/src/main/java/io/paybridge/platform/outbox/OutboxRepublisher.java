package io.paybridge.platform.outbox;

import io.paybridge.platform.events.EventHeaders;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Publishes kept outbox rows again, for an operator recovering from a lost or replaced replication
 * slot: the records are built exactly as the relay builds them (same topic, key, value and headers,
 * in particular the same {@code id}), so consumers recognise events they already applied.
 *
 * <p>Rows are read from {@code outbox_event} (kept for {@code paybridge.outbox.retention}) in
 * insert order ({@code created_at}, then id) and sent in Kafka transactions of {@value #CHUNK}
 * records with a producer of its own ({@code transactional.id} = the relay's + {@code -republish},
 * so that it neither fences nor is fenced by the relay). Delivery is at least once: each row of the
 * range reaches {@code read_committed} consumers once per re-publication, on top of any copy the
 * relay published before the incident. Also sends parked records ({@link #resendParked}).
 */
public class OutboxRepublisher {

  private static final Logger log = LoggerFactory.getLogger(OutboxRepublisher.class);

  /** Records per transaction: a failure re-sends at most this many. */
  static final int CHUNK = 500;

  /**
   * {@code created_at} as the relay's Outbox Event Router renders a {@code timestamptz(6)} column
   * (Debezium's {@code ZonedTimestamp}, six fraction digits, UTC), so that the header is the same.
   */
  static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * What a re-publication sent.
   *
   * @param records records committed to Kafka
   * @param byTopic the same, per topic
   * @param firstCreatedAt {@code created_at} of the first row sent, or {@code null}
   * @param lastCreatedAt {@code created_at} of the last row sent, or {@code null}
   */
  public record Result(
      long records, Map<String, Long> byTopic, Instant firstCreatedAt, Instant lastCreatedAt) {}

  private final OutboxProperties properties;
  private final JdbcTemplate jdbc;
  private final Supplier<Producer<String, String>> producers;
  private final ParkedRecords parked;

  public OutboxRepublisher(
      OutboxProperties properties, JdbcTemplate jdbc, Map<String, Object> producerConfig) {
    this(properties, jdbc, () -> newProducer(properties, producerConfig));
  }

  OutboxRepublisher(
      OutboxProperties properties,
      JdbcTemplate jdbc,
      Supplier<Producer<String, String>> producers) {
    this.properties = properties;
    this.jdbc = jdbc;
    this.producers = producers;
    this.parked = new ParkedRecords(() -> jdbc.getDataSource().getConnection());
  }

  /**
   * Publishes again every kept outbox row with {@code from <= created_at < to}.
   *
   * @throws IllegalArgumentException when {@code to} is not after {@code from}
   */
  public Result republish(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("'to' must be after 'from': " + from + ", " + to);
    }
    Timestamp oldest =
        jdbc.queryForObject("select min(created_at) from outbox_event", Timestamp.class);
    Instant oldestKept = oldest == null ? null : oldest.toInstant();
    if (oldestKept == null || oldestKept.isAfter(from)) {
      log.warn(
          "Re-publishing from {}, but the oldest kept outbox row is from {}: rows older than"
              + " paybridge.outbox.retention ({}) are gone",
          from,
          oldestKept,
          properties.retention());
    }
    var byTopic = new TreeMap<String, Long>();
    long total = 0;
    Instant first = null;
    Instant last = null;
    Timestamp afterTime = Timestamp.from(from);
    String afterId = "";
    try (var producer = producers.get()) {
      producer.initTransactions();
      while (true) {
        List<Row> rows =
            jdbc.query(
                "select id, aggregatetype, aggregateid, type, payload::text, tenant,"
                    + " organisation_id, traceparent, created_at from outbox_event"
                    + " where (created_at, id) > (?, ?) and created_at < ?"
                    + " order by created_at, id limit ?",
                OutboxRepublisher::row,
                afterTime,
                afterId,
                Timestamp.from(to),
                CHUNK);
        if (rows.isEmpty()) {
          break;
        }
        producer.beginTransaction();
        for (var row : rows) {
          producer.send(record(row));
          byTopic.merge(row.topic(), 1L, Long::sum);
        }
        producer.commitTransaction();
        total += rows.size();
        if (first == null) {
          first = rows.getFirst().createdAt();
        }
        var end = rows.getLast();
        last = end.createdAt();
        afterTime = Timestamp.from(end.createdAt());
        afterId = end.id();
        if (rows.size() < CHUNK) {
          break;
        }
      }
    }
    log.info(
        "Re-published {} outbox records of {} created in [{}, {}): {}",
        total,
        properties.serviceName(),
        from,
        to,
        byTopic);
    return new Result(total, byTopic, first, last);
  }

  /**
   * Sends a parked record as it was refused (same topic, key, value and headers) and marks it
   * re-sent. Fix the cause first (topic created, ACL granted, size limits raised).
   *
   * @return {@code false} when there is no open parked record with this id
   */
  public boolean resendParked(long id, String note) throws SQLException {
    var record = parked.record(id);
    if (record.isEmpty()) {
      return false;
    }
    try (var producer = producers.get()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record.get());
      producer.commitTransaction();
    }
    try (var connection = parked.connections().open()) {
      parked.close(connection, id, true, note);
    }
    log.info("Re-sent parked record {} to {}", id, record.get().topic());
    return true;
  }

  /**
   * Marks a parked record discarded: it will not be sent.
   *
   * @return {@code false} when there is no open parked record with this id
   */
  public boolean discardParked(long id, String note) throws SQLException {
    try (var connection = parked.connections().open()) {
      return parked.close(connection, id, false, note);
    }
  }

  ParkedRecords parked() {
    return parked;
  }

  private record Row(
      String id,
      String topic,
      String key,
      String type,
      String payload,
      String tenant,
      String organisationId,
      String traceparent,
      Instant createdAt) {}

  private static Row row(ResultSet rows, int index) throws SQLException {
    return new Row(
        rows.getString(1),
        rows.getString(2),
        rows.getString(3),
        rows.getString(4),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        rows.getString(8),
        rows.getTimestamp(9).toInstant());
  }

  private ProducerRecord<String, String> record(Row row) {
    var headers = new ArrayList<Map.Entry<String, String>>();
    headers.add(Map.entry(EventHeaders.ID, row.id()));
    headers.add(Map.entry(EventHeaders.EVENT_TYPE, row.type()));
    if (row.tenant() != null) {
      headers.add(Map.entry(EventHeaders.TENANT, row.tenant()));
    }
    if (row.organisationId() != null) {
      headers.add(Map.entry(EventHeaders.ORGANISATION_ID, row.organisationId()));
    }
    if (row.traceparent() != null) {
      headers.add(Map.entry(EventHeaders.TRACEPARENT, row.traceparent()));
    }
    headers.add(Map.entry(EventHeaders.CREATED_AT, CREATED_AT.format(row.createdAt())));
    return KafkaRelayPublisher.outboxRecord(
        row.topic(), row.key(), row.payload(), headers, properties.source());
  }

  private static Producer<String, String> newProducer(
      OutboxProperties properties, Map<String, Object> producerConfig) {
    var config = new java.util.HashMap<>(producerConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.sendTimeout().toMillis());
    int sendTimeout = (int) properties.sendTimeout().toMillis();
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeout);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(sendTimeout - 10, 10_000));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-outbox-republish");
    // Not the relay's transactional.id: initialising it would fence the relay.
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId() + "-republish");
    config.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        (int) properties.transactionTimeout().toMillis());
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
