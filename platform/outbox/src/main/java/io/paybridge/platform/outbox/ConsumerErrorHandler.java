package io.paybridge.platform.outbox;

import io.paybridge.platform.outbox.ConsumerFailures.Kind;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.listener.BackOffHandler;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultBackOffHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The listener error handler: retries what can pass, dead-letters what cannot, and never loses a
 * partition's order.
 *
 * <ul>
 *   <li>{@linkplain Kind#TRANSIENT transient} failures (database, network, GoCardless 429/5xx,
 *       Kafka; see {@link ConsumerFailures}) are retried for as long as they last, with exponential
 *       back-off up to {@code transient-max-backoff} (longer if the failure carries a {@link
 *       TransientFailure#retryAfter()} hint), never dead-lettered;
 *   <li>{@linkplain Kind#POISON poison} goes to the recoverer (the dead-letter topic) at once;
 *   <li>any {@linkplain Kind#OTHER other} exception is retried {@code retries} times, then goes to
 *       the recoverer.
 * </ul>
 *
 * <p>Between attempts the failing record's partition is paused rather than the consumer thread put
 * to sleep: the container keeps polling (so {@code max.poll.interval.ms} is never exceeded however
 * long the back-off) and keeps serving its other partitions. The failing record and the records
 * after it on its partition are re-read from the failing offset (seek after error), nothing is
 * committed past it, so the partition's order holds. Attempts, recoveries and successes are
 * reported to {@link ConsumerRetries}.
 *
 * <p>A batch listener names the record that failed with a {@link BatchListenerFailedException} (as
 * {@link IdempotentConsumer#applyBatch} does): the records before it are committed, and it is
 * handled as above; the records after it are delivered again.
 */
public class ConsumerErrorHandler extends DefaultErrorHandler implements DisposableBean {

  private static final BackOff NO_RETRIES = new FixedBackOff(0, 0);

  private final PartitionPausingBackOff pausing;
  private final ConsumerRetries retries;

  public ConsumerErrorHandler(
      ConsumerRecordRecoverer recoverer, ConsumerProperties properties, ConsumerRetries retries) {
    this(recoverer, properties, retries, new PartitionPausingBackOff(properties));
  }

  private ConsumerErrorHandler(
      ConsumerRecordRecoverer recoverer,
      ConsumerProperties properties,
      ConsumerRetries retries,
      PartitionPausingBackOff pausing) {
    super(recoverer, otherFailureBackOff(properties), pausing);
    this.pausing = pausing;
    this.retries = retries;
    BackOff transientBackOff = transientBackOff(properties);
    // Called with the first failure of a record, and again whenever its exception changes type, so
    // a record that turns from transient to a bug (or back) gets the matching policy.
    setBackOffFunction(
        (record, failure) ->
            switch (ConsumerFailures.classify(failure)) {
              case TRANSIENT -> transientBackOff;
              case POISON -> NO_RETRIES;
              case OTHER -> null; // the bounded default
            });
    setResetStateOnExceptionChange(true);
    setSeekAfterError(true);
    setRetryListeners(new Reporting());
  }

  @Override
  public void handleRemaining(
      Exception thrownException,
      List<ConsumerRecord<?, ?>> records,
      Consumer<?, ?> consumer,
      MessageListenerContainer container) {
    if (records.isEmpty()) {
      super.handleRemaining(thrownException, records, consumer, container);
      return;
    }
    // The back-off handler and the retry listener are told the exception but not the record's
    // partition or consumer group: hand them over for the duration of this call (same thread).
    pausing.current.set(new Attempt(records.getFirst(), groupOf(consumer, container), container));
    try {
      super.handleRemaining(thrownException, records, consumer, container);
    } finally {
      pausing.current.remove();
    }
  }

  @Override
  public void handleBatch(
      Exception thrownException,
      ConsumerRecords<?, ?> data,
      Consumer<?, ?> consumer,
      MessageListenerContainer container,
      Runnable invokeListener) {
    ConsumerRecord<?, ?> failed = failedRecord(thrownException);
    if (failed == null) {
      // Not naming a record: spring-kafka's fallback retries the whole batch, sleeping in place.
      super.handleBatch(thrownException, data, consumer, container, invokeListener);
      return;
    }
    // As in handleRemaining: the back-off pauses the failing record's partition.
    pausing.current.set(new Attempt(failed, groupOf(consumer, container), container));
    try {
      super.handleBatch(thrownException, data, consumer, container, invokeListener);
    } finally {
      pausing.current.remove();
    }
  }

  private static ConsumerRecord<?, ?> failedRecord(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BatchListenerFailedException batch) {
        return batch.getRecord();
      }
    }
    return null;
  }

  @Override
  public void destroy() {
    pausing.scheduler.shutdown();
  }

  static String groupOf(Consumer<?, ?> consumer, MessageListenerContainer container) {
    try {
      return consumer.groupMetadata().groupId();
    } catch (RuntimeException e) {
      String group = container == null ? null : container.getGroupId();
      return group != null ? group : "unknown";
    }
  }

  private static BackOff transientBackOff(ConsumerProperties properties) {
    var backOff = new ExponentialBackOff();
    backOff.setInitialInterval(properties.transientInitialBackoff().toMillis());
    backOff.setMultiplier(properties.transientBackoffMultiplier());
    backOff.setMaxInterval(properties.transientMaxBackoff().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    backOff.setMaxAttempts(Long.MAX_VALUE);
    return backOff;
  }

  private static BackOff otherFailureBackOff(ConsumerProperties properties) {
    var backOff = new ExponentialBackOffWithMaxRetries(properties.retries());
    backOff.setInitialInterval(properties.retryInitialBackoff().toMillis());
    backOff.setMultiplier(properties.retryBackoffMultiplier());
    backOff.setMaxInterval(properties.retryMaxBackoff().toMillis());
    return backOff;
  }

  private record Attempt(
      ConsumerRecord<?, ?> record, String consumer, MessageListenerContainer container) {}

  /** Feeds {@link ConsumerRetries} from the error handler's attempts and recoveries. */
  private final class Reporting implements RetryListener {

    @Override
    public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
      Attempt current = pausing.current.get();
      retries.failed(
          current != null ? current.consumer() : "unknown",
          record,
          failure,
          ConsumerFailures.classify(failure),
          current != null ? current.container() : null);
    }

    @Override
    public void recovered(ConsumerRecord<?, ?> record, Exception failure) {
      Attempt current = pausing.current.get();
      retries.deadLettered(
          current != null ? current.consumer() : "unknown",
          record,
          failure,
          ConsumerFailures.classify(failure));
    }
  }

  /**
   * Waits out a back-off by pausing the failing record's partition and resuming it when the
   * back-off is over; honours a {@link TransientFailure#retryAfter()} hint up to {@code
   * max-retry-after}.
   */
  private static final class PartitionPausingBackOff implements BackOffHandler {

    final ThreadLocal<Attempt> current = new ThreadLocal<>();
    final ThreadPoolTaskScheduler scheduler;
    private final ListenerContainerPauseService pauser;
    private final BackOffHandler sleeping = new DefaultBackOffHandler();
    private final Duration maxRetryAfter;

    PartitionPausingBackOff(ConsumerProperties properties) {
      this.maxRetryAfter = properties.maxRetryAfter();
      this.scheduler = new ThreadPoolTaskScheduler();
      scheduler.setThreadNamePrefix("consumer-resume-");
      scheduler.setDaemon(true);
      scheduler.initialize();
      this.pauser = new ListenerContainerPauseService(null, scheduler);
    }

    @Override
    public void onNextBackOff(
        MessageListenerContainer container, Exception exception, long nextBackOff) {
      long wait = nextBackOff;
      if (exception != null) {
        var hint = ConsumerFailures.retryAfter(exception);
        if (hint.isPresent()) {
          long hinted = Math.min(hint.get().toMillis(), maxRetryAfter.toMillis());
          wait = Math.max(wait, hinted);
        }
      }
      Attempt attempt = current.get();
      if (container == null || attempt == null) {
        // Not called through handleRemaining (no seek after error): only sleeping can wait here.
        sleeping.onNextBackOff(container, exception, wait);
        return;
      }
      var partition = new TopicPartition(attempt.record().topic(), attempt.record().partition());
      pauser.pausePartition(container, partition, Duration.ofMillis(wait));
    }
  }
}
