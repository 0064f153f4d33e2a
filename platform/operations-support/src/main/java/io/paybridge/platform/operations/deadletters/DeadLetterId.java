package io.paybridge.platform.operations.deadletters;

import java.util.Optional;

/** Where a dead letter lies: {@code <dlt topic>-<partition>-<offset>}. */
public record DeadLetterId(String topic, int partition, long offset) {

  /** The id as operators pass it around. */
  @Override
  public String toString() {
    return topic + "-" + partition + "-" + offset;
  }

  /** Reads an id; empty when it is not of the form {@code <topic>-<partition>-<offset>}. */
  public static Optional<DeadLetterId> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    int offsetDash = id.lastIndexOf('-');
    int partitionDash = offsetDash > 0 ? id.lastIndexOf('-', offsetDash - 1) : -1;
    if (partitionDash <= 0) {
      return Optional.empty();
    }
    try {
      int partition = Integer.parseInt(id.substring(partitionDash + 1, offsetDash));
      long offset = Long.parseLong(id.substring(offsetDash + 1));
      if (partition < 0 || offset < 0) {
        return Optional.empty();
      }
      return Optional.of(new DeadLetterId(id.substring(0, partitionDash), partition, offset));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
