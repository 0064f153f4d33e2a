package io.paybridge.platform.outbox;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * The Debezium engine's offset store for the relay: it starts from the position the relay read from
 * Kafka (its {@link PositionTopic}, {@code read_committed}) before starting the engine, and keeps
 * what the engine flushes in memory only.
 *
 * <p>Nothing is written from here: the position is committed to Kafka by the relay in the
 * transaction of each batch, before the batch is marked processed, so the engine can only flush a
 * position Kafka already holds. A flush then serves one purpose: the engine confirms the flushed
 * LSN to PostgreSQL after it, so the slot never runs ahead of Kafka.
 *
 * <p>Debezium instantiates the store by class name; the relay hands it its start position through
 * {@link #register} and the engine property {@value #HANDLE}.
 */
public final class RelayOffsetStore implements OffsetBackingStore {

  /** Engine property naming the registered start position of this store. */
  static final String HANDLE = "offset.storage.paybridge.handle";

  private static final Map<String, Optional<RelayPosition>> STARTS = new ConcurrentHashMap<>();

  private final Map<ByteBuffer, ByteBuffer> flushed = new ConcurrentHashMap<>();
  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();
  private RelayPosition start;

  /** Registers a start position (empty: none, stream from the slot) for the next engine. */
  static String register(Optional<RelayPosition> position) {
    String handle = UUID.randomUUID().toString();
    STARTS.put(handle, position);
    return handle;
  }

  /** Forgets a registration whose engine never took it (it failed before configuring its store). */
  static void unregister(String handle) {
    STARTS.remove(handle);
  }

  @Override
  public void configure(WorkerConfig config) {
    String handle = config.originalsStrings().get(HANDLE);
    Optional<RelayPosition> position = handle == null ? null : STARTS.remove(handle);
    if (position == null) {
      throw new IllegalStateException(
          "The relay's offset store has no start position (engine property " + HANDLE + ")");
    }
    start = position.orElse(null);
    keys.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    values.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> requested) {
    var result = new HashMap<ByteBuffer, ByteBuffer>();
    for (ByteBuffer key : requested) {
      ByteBuffer value = flushed.get(key);
      if (value == null && start != null && start.partition().equals(partitionOf(key))) {
        value = ByteBuffer.wrap(values.fromConnectData("", null, start.offset()));
      }
      result.put(key, value);
    }
    return CompletableFuture.completedFuture(result);
  }

  @Override
  public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
    flushed.putAll(values);
    if (callback != null) {
      callback.onCompletion(null, null);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    if (start == null) {
      return Set.of();
    }
    return Set.of(new HashMap<>(start.partition()));
  }

  /**
   * The source partition in an engine offset key, which is JSON {@code [engine name, partition]}.
   */
  private Object partitionOf(ByteBuffer key) {
    byte[] bytes = new byte[key.remaining()];
    key.duplicate().get(bytes);
    Object decoded = keys.toConnectData("", bytes).value();
    return decoded instanceof List<?> list && list.size() == 2 ? list.get(1) : null;
  }
}
