package io.paybridge.platform.outbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the relay stands in its replication slot: Debezium's source partition and offset (for
 * PostgreSQL, the server name and the LSNs of the last relayed change), as committed to Kafka with
 * the batch that ends there.
 *
 * @param batch the id of the transaction's batch, to tell after a failure with an unknown outcome
 *     whether that batch was committed
 * @param partition Debezium's source partition map
 * @param offset Debezium's source offset map
 */
record RelayPosition(String batch, Map<String, ?> partition, Map<String, ?> offset) {

  RelayPosition {
    // Not Map.copyOf: Debezium's offset maps may hold null values.
    partition = Collections.unmodifiableMap(new LinkedHashMap<>(partition));
    offset = Collections.unmodifiableMap(new LinkedHashMap<>(offset));
  }
}
