package io.paybridge.platform.outbox;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka's refusals of one record that no retry can overcome: the record itself, or its topic, is
 * the problem, not the cluster's availability. Anything else (timeouts, disconnections, a broker
 * not leading a partition, a transaction aborted by the coordinator) is transient and retried.
 */
enum RecordRefusal {
  /**
   * Larger than the producer's {@code max.request.size} or the topic's {@code max.message.bytes}.
   */
  RECORD_TOO_LARGE("record_too_large"),
  /** The relay's principal may not write to the topic. */
  TOPIC_NOT_AUTHORISED("topic_not_authorised"),
  /** The topic does not exist and the cluster does not create topics on first use. */
  TOPIC_MISSING("topic_missing"),
  /** Not a legal topic name. */
  INVALID_TOPIC("invalid_topic");

  final String code;

  RecordRefusal(String code) {
    this.code = code;
  }

  /**
   * The refusal of one record's send to {@code topic}, from the exception its future failed with
   * (one of {@link #ownFailures}): only that exception itself counts, not its causes, because the
   * other records of an aborted transaction can fail with an abort whose cause is the one record's
   * refusal.
   */
  static Optional<RecordRefusal> ofSend(Throwable error, String topic) {
    if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
      return Optional.of(RECORD_TOO_LARGE);
    }
    if (error instanceof TopicAuthorizationException refused) {
      // Named topics: the records of other topics in the same transaction fail with it too.
      return refused.unauthorizedTopics().isEmpty() || refused.unauthorizedTopics().contains(topic)
          ? Optional.of(TOPIC_NOT_AUTHORISED)
          : Optional.empty();
    }
    if (error instanceof InvalidTopicException) {
      return Optional.of(INVALID_TOPIC);
    }
    if (error instanceof UnknownTopicOrPartitionException) {
      return Optional.of(TOPIC_MISSING);
    }
    return Optional.empty();
  }

  /**
   * The failed sends of one transaction whose failure is their own, by index, with that failure.
   * Kafka's producer fails the records of a failed transaction that it has not sent yet with the
   * very exception that failed the transaction (its sender aborts them with the transaction's last
   * error, the same instance). When that exception is one a send raised itself (its future had
   * already failed when {@code send} returned: the producer refused the record before queueing it),
   * it belongs to that record alone, and the other records that carry it are not refused.
   *
   * @param sent the futures of the transaction's sends, in order
   * @param doneAtSend the indexes of the sends whose futures were already done when send returned
   */
  static Map<Integer, Throwable> ownFailures(
      List<? extends Future<?>> sent, Set<Integer> doneAtSend) {
    var failures = new LinkedHashMap<Integer, Throwable>();
    for (int i = 0; i < sent.size(); i++) {
      int index = i;
      failureOf(sent.get(i)).ifPresent(error -> failures.put(index, error));
    }
    Set<Throwable> raisedAtSend = Collections.newSetFromMap(new IdentityHashMap<>());
    doneAtSend.stream().map(failures::get).filter(Objects::nonNull).forEach(raisedAtSend::add);
    failures
        .entrySet()
        .removeIf(f -> !doneAtSend.contains(f.getKey()) && raisedAtSend.contains(f.getValue()));
    return failures;
  }

  private static Optional<Throwable> failureOf(Future<?> future) {
    if (!future.isDone()) {
      return Optional.empty();
    }
    try {
      future.get();
      return Optional.empty();
    } catch (ExecutionException failed) {
      return Optional.ofNullable(failed.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (CancellationException e) {
      return Optional.empty();
    }
  }

  /**
   * The refusal behind {@code error} (anywhere in its causes), if it is one. A metadata timeout
   * ("not present in metadata") is a {@link #TOPIC_MISSING} candidate only: it is also what a
   * cluster that does not answer produces, so the caller confirms with the cluster that the topic
   * is really missing.
   */
  static Optional<RecordRefusal> of(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RecordTooLargeException
          || cause instanceof RecordBatchTooLargeException) {
        return Optional.of(RECORD_TOO_LARGE);
      }
      if (cause instanceof TopicAuthorizationException) {
        return Optional.of(TOPIC_NOT_AUTHORISED);
      }
      if (cause instanceof InvalidTopicException) {
        return Optional.of(INVALID_TOPIC);
      }
      if (cause instanceof UnknownTopicOrPartitionException) {
        return Optional.of(TOPIC_MISSING);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a send failed with the producer's own "topic not present in metadata" timeout (that
   * exception itself, as for {@link #ofSend}).
   */
  static boolean maybeMissingTopic(Throwable error) {
    return error instanceof TimeoutException
        && error.getMessage() != null
        && error.getMessage().contains("not present in metadata");
  }
}
