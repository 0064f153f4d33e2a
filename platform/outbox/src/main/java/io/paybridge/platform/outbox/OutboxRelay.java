package io.paybridge.platform.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.events.EventHeaders;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Relays a service's outbox to Kafka with the Debezium embedded engine, on exactly one instance of
 * the service at a time.
 *
 * <p>Every instance runs a relay. The relay that holds the service's PostgreSQL advisory lock is
 * the leader and streams the outbox's replication slot; the others stand by and try for the lock
 * every {@link OutboxProperties#leaderPollInterval()}. The lock lives on a connection of the
 * relay's own, so when the leader dies its session ends, the lock frees and a standby takes over. A
 * leader that loses its lock connection stops streaming at once.
 *
 * <p>Starts after, and stops before, the beans it needs (a late {@link SmartLifecycle} phase).
 */
public class OutboxRelay implements SmartLifecycle {

  /**
   * How long a stop lets the batch being committed finish before the engine's close interrupts it
   * (the batch is then relayed again by the next leader, from the committed position).
   */
  static final Duration STOP_BATCH_GRACE = Duration.ofSeconds(5);

  /**
   * How long a stop waits for a busy relay's polling thread to come with its batch ({@link
   * #idleGrace}).
   */
  static final Duration STOP_BUSY_IDLE_GRACE = Duration.ofSeconds(2);

  /** How long a stop waits for an engine that is starting to start, before it closes it anyway. */
  static final Duration STOP_START_GRACE = Duration.ofSeconds(10);

  /** Late start, early stop: after the data source and web server are up, before they go down. */
  public static final int PHASE = Integer.MAX_VALUE - 2048;

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** The batch id of a position read from {@code outbox_relay_offset} (an upgrade). */
  private static final String LEGACY_BATCH = "legacy-jdbc";

  /**
   * Debezium's {@code heartbeat.action.query}: a new heartbeat row (an insert, the publication
   * carries inserts only), the older ones deleted in the same statement so the table stays at one
   * row.
   */
  static final String HEARTBEAT_ACTION_QUERY =
      "with old as (delete from "
          + ReplicationSetup.HEARTBEAT_TABLE
          + ") insert into "
          + ReplicationSetup.HEARTBEAT_TABLE
          + " default values";

  private final OutboxProperties properties;
  private final DatabaseEndpoint database;
  private final Map<String, Object> producerConfig;
  private final MeterRegistry meters;
  private final RelayState state = new RelayState();
  private final long lockKey;
  private final Object engineLock = new Object();
  private final PositionTopic positions;
  private final LegacyJdbcPosition legacyPosition;
  private volatile long lockConfirmedAt;
  private volatile BiConsumer<Producer<String, String>, List<ProducerRecord<String, String>>>
      beforeCommit = (producer, records) -> {};

  private volatile boolean running;
  private Thread leaderThread;
  private volatile DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
  private volatile KafkaRelayPublisher publisher;
  private volatile CountDownLatch engineDone = new CountDownLatch(0);

  /** Open while the engine starts: counted down when it polls, or when it ends without polling. */
  private volatile CountDownLatch engineStarting = new CountDownLatch(0);

  private ExecutorService engineExecutor;

  /**
   * @param properties resolved outbox settings
   * @param database the service's database
   * @param producerConfig Kafka producer settings (bootstrap servers, security); the relay adds
   *     idempotence, {@code acks=all} and its serializers
   * @param meters where the relay's metrics go
   */
  private volatile RecordTracing tracing = RecordTracing.NONE;

  public OutboxRelay(
      OutboxProperties properties,
      DatabaseEndpoint database,
      Map<String, Object> producerConfig,
      MeterRegistry meters) {
    this.properties = properties;
    this.database = database;
    this.producerConfig = Map.copyOf(producerConfig);
    this.meters = meters;
    this.lockKey = ("paybridge.outbox.relay:" + properties.slotName()).hashCode();
    this.positions = new PositionTopic(properties, this.producerConfig);
    this.legacyPosition = new LegacyJdbcPosition(database);
    Gauge.builder(
            "paybridge.outbox.relay.leader",
            state,
            s -> s.role() == RelayStatus.Role.LEADER ? 1 : 0)
        .description("1 when this instance is its service's relay leader")
        .register(meters);
    // Distinct from the paybridge.outbox.relay.lag timer (per-record distribution): this one
    // keeps growing while Kafka does not acknowledge, so an outage shows.
    Gauge.builder("paybridge.outbox.relay.behind", state, s -> s.currentLag().toNanos() / 1e9)
        .description("How far behind the outbox the relay is")
        .baseUnit("seconds")
        .register(meters);
    Gauge.builder("paybridge.outbox.relay.slot.mismatch", state, s -> s.slotRefused() ? 1 : 0)
        .description(
            "1 while this instance leads but refuses to stream because its replication slot was"
                + " lost or replaced")
        .register(meters);
  }

  /** What this relay instance is doing now. */
  public RelayStatus status() {
    return state.snapshot();
  }

  /** This instance's state, for {@link RelayBacklog}'s report. */
  RelayState state() {
    return state;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    state.role(RelayStatus.Role.STANDBY);
    engineExecutor =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("outbox-relay-engine-" + properties.serviceName()).factory());
    leaderThread =
        Thread.ofPlatform()
            .name("outbox-relay-leader-" + properties.serviceName())
            .daemon()
            .start(this::leadOrStandBy);
    log.info(
        "Outbox relay started for {} (slot {}, publication {})",
        properties.serviceName(),
        properties.slotName(),
        properties.publicationName());
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    leaderThread.interrupt();
    try {
      leaderThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopEngine();
    engineExecutor.shutdownNow();
    state.role(RelayStatus.Role.STOPPED);
    log.info("Outbox relay stopped for {}", properties.serviceName());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  private void leadOrStandBy() {
    while (running) {
      try (Connection lock = database.open()) {
        if (tryLock(lock)) {
          state.role(RelayStatus.Role.LEADER);
          log.info("Outbox relay of {} is the leader", properties.serviceName());
          lead(lock);
        } else {
          state.role(RelayStatus.Role.STANDBY);
          sleep(properties.leaderPollInterval().toMillis());
          continue;
        }
      } catch (SQLException e) {
        state.error(e);
        log.warn(
            "Outbox relay of {} lost its database: {}", properties.serviceName(), e.toString());
      } catch (RuntimeException e) {
        state.error(e);
        log.error("Outbox relay of {} failed; retrying", properties.serviceName(), e);
      } finally {
        stopEngine();
      }
      if (running) {
        state.role(RelayStatus.Role.STANDBY);
        sleep(properties.retryBackoff().toMillis());
      }
    }
  }

  private boolean tryLock(Connection connection) throws SQLException {
    try (var statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
      statement.setLong(1, lockKey);
      try (var result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  /**
   * Streams while this instance holds the lock, the engine runs and the relay is not stopped.
   * Before the engine starts, the publisher initialises the transactional producer (fencing any
   * previous leader) and reads the position committed on Kafka; a service upgraded from the JDBC
   * offset store starts once from the position left in {@code outbox_relay_offset}.
   */
  private void lead(Connection lock) throws SQLException {
    int validationTimeout = Math.max(1, (int) properties.leaderPollInterval().toSeconds());
    lockConfirmedAt = System.nanoTime();
    var newPublisher =
        new KafkaRelayPublisher(
            this::newProducer,
            positions,
            properties,
            state,
            meters,
            this::stillLeading,
            new ParkedRecords(database::open));
    newPublisher.beforeCommit(beforeCommit);
    newPublisher.tracing(tracing);
    if (properties.recordPlacements()) {
      newPublisher.placements(new RelayedRecords(database::open, meters));
    }
    publisher = newPublisher;
    Optional<RelayPosition> start;
    try {
      start =
          newPublisher.connect(
              () -> {
                try {
                  boolean valid = running && lock.isValid(validationTimeout);
                  if (valid) {
                    lockConfirmedAt = System.nanoTime();
                  }
                  return valid;
                } catch (SQLException e) {
                  return false;
                }
              });
    } catch (InterruptedException e) {
      return; // stopping, or the lock is gone: the caller cleans up
    }
    start = checkedStart(lock, start);
    if (start == null) {
      return; // stopping, or the lock is gone, while the slot was refused
    }
    if (start.isPresent() && LEGACY_BATCH.equals(start.get().batch())) {
      log.info(
          "Outbox relay of {} starts from the position in {} (first start on the Kafka-held"
              + " position): {}",
          properties.serviceName(),
          LegacyJdbcPosition.TABLE,
          start.get().offset());
      newPublisher.afterFirstCommit(this::forgetLegacyPosition);
    }
    startEngine(newPublisher, start);
    while (running && engineDone.getCount() > 0) {
      sleep(properties.leaderPollInterval().toMillis());
      if (running && !lock.isValid(validationTimeout)) {
        log.warn("Outbox relay of {} lost its leader lock; stopping", properties.serviceName());
        return;
      }
      lockConfirmedAt = System.nanoTime();
    }
    if (running) {
      log.warn(
          "Outbox relay engine of {} ended ({}); giving up the lead for now",
          properties.serviceName(),
          state.snapshot().lastError());
    }
  }

  /**
   * The position to stream from once the slot agrees with it ({@link SlotCheck}): while it does not
   * (the slot was lost or replaced), the leader does not stream, reports the reason (health DOWN,
   * {@code paybridge.outbox.relay.slot.mismatch} = 1) and checks again every {@code
   * leader-poll-interval}, re-reading the position, until an operator acknowledges the loss ({@link
   * SlotRecovery}: the position is reset, the slot created if missing), the slot is repaired, or it
   * stops leading.
   *
   * @param fromKafka the position read from Kafka by the publisher, or empty
   * @return the position to start from (empty: the slot's own), or {@code null} to stop leading
   */
  private Optional<RelayPosition> checkedStart(Connection lock, Optional<RelayPosition> fromKafka)
      throws SQLException {
    int validationTimeout = Math.max(1, (int) properties.leaderPollInterval().toSeconds());
    Optional<RelayPosition> start = fromKafka.isPresent() ? fromKafka : legacyStart();
    SlotCheck.Verdict reported = null;
    while (running) {
      var verdict = SlotCheck.check(lock, properties.slotName(), start);
      state.slotVerdict(verdict);
      if (!verdict.refused()) {
        if (reported != null) {
          log.info(
              "Outbox relay of {}: the slot {} agrees with the position now; streaming",
              properties.serviceName(),
              properties.slotName());
        }
        return start;
      }
      if (reported == null || reported.refusal() != verdict.refusal()) {
        log.error(
            "Outbox relay of {} refuses to stream ({}): {}. Recover as the runbook says (a lost or"
                + " replaced slot): acknowledge, then re-publish from {}",
            properties.serviceName(),
            verdict.refusal().code,
            verdict.detail(),
            verdict.lastRelayedAt() == null ? "the last relayed time" : verdict.lastRelayedAt());
        reported = verdict;
      }
      sleep(properties.leaderPollInterval().toMillis());
      if (!running || !lock.isValid(validationTimeout)) {
        return null;
      }
      lockConfirmedAt = System.nanoTime();
      try {
        var again = positions.readLast();
        start = again.isPresent() ? again : legacyStart();
      } catch (RuntimeException e) {
        log.warn(
            "Outbox relay of {} could not re-read its position: {}",
            properties.serviceName(),
            e.toString());
      }
    }
    return null;
  }

  private Optional<RelayPosition> legacyStart() throws SQLException {
    return legacyPosition
        .read(engineName())
        .map(p -> new RelayPosition(LEGACY_BATCH, p.partition(), p.offset()));
  }

  /**
   * Whether this instance confirmed its lock recently enough to (re)initialise a producer from the
   * engine's thread: a relay that lost the lock must not fence the leader that holds it.
   */
  private boolean stillLeading() {
    long bound =
        properties.leaderPollInterval().multipliedBy(3).toNanos()
            + Math.max(1, properties.leaderPollInterval().toSeconds()) * 1_000_000_000L;
    return running && System.nanoTime() - lockConfirmedAt < bound;
  }

  private void forgetLegacyPosition() {
    try {
      legacyPosition.forget();
    } catch (SQLException e) {
      // Harmless: the Kafka-held position now exists and always wins over the table.
      log.warn("Could not clear {}: {}", LegacyJdbcPosition.TABLE, e.toString());
    }
  }

  /**
   * Where relayed records' spans go: each record gets a producer span whose parent is its row's
   * {@code traceparent}, and carries that span's instead. Set before {@code start}.
   */
  public void tracing(RecordTracing tracing) {
    this.tracing = tracing;
  }

  /** Test hook: runs in each relay transaction between the last send and the commit. */
  void beforeCommit(
      BiConsumer<Producer<String, String>, List<ProducerRecord<String, String>>> action) {
    this.beforeCommit = action;
    var current = publisher;
    if (current != null) {
      current.beforeCommit(action);
    }
  }

  private String engineName() {
    return properties.serviceName() + "-outbox-relay";
  }

  private void startEngine(KafkaRelayPublisher newPublisher, Optional<RelayPosition> start) {
    var done = new CountDownLatch(1);
    var starting = new CountDownLatch(1);
    var config = debeziumConfig();
    String handle = RelayOffsetStore.register(start);
    config.setProperty(RelayOffsetStore.HANDLE, handle);
    try {
      engine =
          DebeziumEngine.create(Connect.class)
              .using(config)
              .notifying(newPublisher)
              .using(
                  new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                      starting.countDown();
                    }
                  })
              .using(
                  (success, message, error) -> {
                    if (!success) {
                      state.error(error != null ? error : new IllegalStateException(message));
                    }
                    state.streaming(false);
                    RelayOffsetStore.unregister(handle);
                    starting.countDown();
                    done.countDown();
                  })
              .build();
    } catch (RuntimeException e) {
      RelayOffsetStore.unregister(handle);
      throw e;
    }
    engineDone = done;
    engineStarting = starting;
    state.streaming(true);
    engineExecutor.execute(engine);
  }

  private void stopEngine() {
    synchronized (engineLock) {
      stopEngineLocked();
    }
  }

  private void stopEngineLocked() {
    var current = engine;
    if (current == null) {
      // Stopped before its engine started (while connecting to Kafka): only the producer is left.
      var connecting = publisher;
      if (connecting != null) {
        connecting.stop();
        connecting.closeProducer();
        connecting.closePlacements();
        publisher = null;
      }
      return;
    }
    // stop() interrupts the leader thread to end its wait; an interrupt that came while it was not
    // waiting is still pending here, and would cut the engine's own close short (Debezium then
    // stops its task "immediately", interrupting it, and logs an ERROR). The close is bounded.
    boolean interrupted = Thread.interrupted();
    try {
      // Debezium refuses to close an engine whose task is starting, and an engine closed before
      // that fails its own start: either ends as "Engine has failed" (an ERROR) with the task's
      // connections left to the executor's shutdown. A start that takes longer is closed anyway.
      engineStarting.await(STOP_START_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      if (publisher != null) {
        publisher.stop();
        if (engineDone.getCount() > 0) {
          // Debezium's close() is clean only while the polling thread holds no polled batch.
          publisher.awaitParked(idleGrace(), STOP_BATCH_GRACE);
        }
      }
      current.close();
      if (!engineDone.await(30, TimeUnit.SECONDS)) {
        log.warn("Outbox relay engine of {} did not stop within 30 s", properties.serviceName());
      }
    } catch (IOException | RuntimeException e) {
      // An engine that failed on its own refuses to be closed again: nothing is left to stop.
      log.debug("Closing the outbox relay engine failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (publisher != null) {
        publisher.closeProducer();
        publisher.closePlacements();
      }
      engine = null;
      publisher = null;
      state.streaming(false);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * How long a stop waits for a polling thread that holds no batch to come with one. A relay that
   * relayed a batch within the last {@link #STOP_BUSY_IDLE_GRACE} is likely decoding its next one,
   * which it would hand to Debezium's record pool after the close has shut that pool ("Engine has
   * failed", {@code RejectedExecutionException}; seen once in a loaded CI run with two poll
   * intervals): it gets that long. A quiet relay's thread is waiting for changes that may never
   * come: two poll intervals.
   */
  private Duration idleGrace() {
    return state.relayedWithin(Instant.now(), STOP_BUSY_IDLE_GRACE)
        ? STOP_BUSY_IDLE_GRACE
        : properties.pollInterval().multipliedBy(2);
  }

  private Producer<String, String> newProducer() {
    var config = new java.util.HashMap<>(producerConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A relay batch is up to max-batch-size records of about 1 KB for a few partitions: larger
    // producer batches than the 16 KB default mean far fewer produce requests per transaction.
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.sendTimeout().toMillis());
    int sendTimeout = (int) properties.sendTimeout().toMillis();
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, sendTimeout);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(sendTimeout - 10, 10_000));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.serviceName() + "-outbox-relay");
    // One transactional.id per service: a new leader's initTransactions fences the old leader's
    // producer, which can then commit nothing.
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.transactionalId());
    config.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        (int) properties.transactionTimeout().toMillis());
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  Properties debeziumConfig() {
    var config = new Properties();
    config.setProperty("name", engineName());
    config.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    config.setProperty("topic.prefix", properties.slotName());
    config.setProperty("database.hostname", database.host());
    config.setProperty("database.port", database.port());
    config.setProperty("database.dbname", database.database());
    config.setProperty("database.user", database.username());
    config.setProperty("database.password", database.password() == null ? "" : database.password());
    config.setProperty("plugin.name", "pgoutput");
    config.setProperty("slot.name", properties.slotName());
    config.setProperty("publication.name", properties.publicationName());
    config.setProperty("publication.autocreate.mode", "disabled");
    config.setProperty("table.include.list", "public.outbox_event");
    // The slot is created at start-up, before the first outbox write: stream from it, never
    // snapshot.
    config.setProperty("snapshot.mode", "no_data");
    config.setProperty("skipped.operations", "u,d,t");
    // No __debezium.context.* headers (connector name, task, run id): internal, different on every
    // engine run, and not part of the record a consumer gets (nor of a re-published copy).
    config.setProperty("extended.headers.enabled", "false");
    config.setProperty("tombstones.on.delete", "false");
    config.setProperty(
        "heartbeat.interval.ms", String.valueOf(properties.heartbeatInterval().toMillis()));
    // A change in the service's own database at every heartbeat, so that on a quiet outbox in a
    // busy cluster the slot still receives changes and its confirmed LSN follows the WAL (else the
    // cluster's WAL is retained without bound). The table is in the publication but not captured:
    // the engine skips its rows, and only the position moves.
    config.setProperty("heartbeat.action.query", HEARTBEAT_ACTION_QUERY);
    // Only the connector confirms LSNs, after the relay's commit (connector_and_driver would let
    // the driver confirm keepalive LSNs past the position Kafka holds).
    config.setProperty("lsn.flush.mode", "connector");
    // A vanished relay host: the server ends its replication session (and frees the slot for a
    // standby) within dead-connection-timeout; see DatabaseEndpoint.replicationServerOptions().
    config.setProperty("database.tcpKeepAlive", "true");
    config.setProperty("driver.options", database.replicationServerOptions());
    // TLS as the service's JDBC URL asks for it (sslmode, sslrootcert...): Debezium's replication
    // connection is built from these settings, not from the URL, and would otherwise use its own
    // default (prefer: encrypt if offered, never verify).
    database.tlsSettings().forEach((name, value) -> config.setProperty("database." + name, value));
    config.setProperty("poll.interval.ms", String.valueOf(properties.pollInterval().toMillis()));
    config.setProperty("max.batch.size", String.valueOf(properties.maxBatchSize()));
    config.setProperty("max.queue.size", String.valueOf(properties.maxBatchSize() * 4));
    config.setProperty(
        "offset.flush.interval.ms", String.valueOf(properties.offsetFlushInterval().toMillis()));
    // The position lives on Kafka, committed with each batch; the engine's store only hands it the
    // start position and keeps its flushes in memory (RelayOffsetStore).
    config.setProperty("offset.storage", RelayOffsetStore.class.getName());

    config.setProperty("transforms", "outbox");
    config.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
    config.setProperty("transforms.outbox.route.by.field", "aggregatetype");
    // The aggregatetype column holds the topic name itself.
    config.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
    config.setProperty("transforms.outbox.table.field.event.id", "id");
    config.setProperty("transforms.outbox.table.field.event.key", "aggregateid");
    config.setProperty("transforms.outbox.table.field.event.payload", "payload");
    config.setProperty("transforms.outbox.table.expand.json.payload", "false");
    config.setProperty(
        "transforms.outbox.table.fields.additional.placement",
        EventHeaders.debeziumAdditionalPlacement());
    return config;
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // stop() interrupts the leader thread: the loop condition ends it
    }
  }
}
