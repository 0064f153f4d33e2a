package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * Which failures are refusals for good, and whose. The failures are shaped as Kafka's producer
 * makes them: a record it refuses itself (larger than {@code max.request.size}) gets a future that
 * has failed when {@code send} returns, and the transaction takes that exception as its last error;
 * the records of the transaction still waiting in its accumulator are then failed with that same
 * exception instance (its sender's {@code abortUndrainedBatches(lastError)}), or with a {@link
 * TransactionAbortedException} once the abort has begun.
 */
class RecordRefusalTest {

  @Test
  void aRecordTheProducerRefusesIsTheOnlyOneRefusedThoughTheQueuedRecordsCarryItsError() {
    var tooLarge = new RecordTooLargeException("The message is 20422 bytes when serialized");
    List<Future<?>> sent =
        List.of(
            CompletableFuture.failedFuture(tooLarge), // queued before it, aborted with its error
            CompletableFuture.failedFuture(tooLarge), // the record itself
            CompletableFuture.failedFuture(tooLarge), // queued after it
            CompletableFuture.failedFuture(new TransactionAbortedException()),
            new CompletableFuture<>()); // not completed yet

    var own = RecordRefusal.ownFailures(sent, Set.of(1));

    assertThat(own).containsOnlyKeys(1, 3);
    assertThat(own.get(1)).isSameAs(tooLarge);
    assertThat(RecordRefusal.ofSend(own.get(1), "t")).contains(RecordRefusal.RECORD_TOO_LARGE);
    assertThat(RecordRefusal.ofSend(own.get(3), "t")).isEmpty();
  }

  @Test
  void recordsTheProducerRefusesEachWithItsOwnErrorAreAllRefused() {
    var first = new RecordTooLargeException("first");
    var second = new RecordTooLargeException("second");
    List<Future<?>> sent =
        List.of(
            CompletableFuture.failedFuture(first),
            CompletableFuture.completedFuture("sent"),
            CompletableFuture.failedFuture(second));

    assertThat(RecordRefusal.ownFailures(sent, Set.of(0, 2))).containsOnlyKeys(0, 2);
  }

  @Test
  void aFailureTheBrokerReturnsIsEveryFailedRecordsOwnButATopicRefusalOnlyForItsTopics() {
    // AddPartitionsToTxn refused for topic t: the transaction's queued records to t and to u fail
    // with the one exception, which names t.
    var notAuthorised = new TopicAuthorizationException(Set.of("t"));
    List<Future<?>> sent =
        List.of(
            CompletableFuture.failedFuture(notAuthorised),
            CompletableFuture.failedFuture(notAuthorised));

    var own = RecordRefusal.ownFailures(sent, Set.of());

    assertThat(own).containsOnlyKeys(0, 1);
    assertThat(RecordRefusal.ofSend(own.get(0), "t")).contains(RecordRefusal.TOPIC_NOT_AUTHORISED);
    assertThat(RecordRefusal.ofSend(own.get(1), "u")).isEmpty();
    assertThat(RecordRefusal.ofSend(new TopicAuthorizationException("no topics named"), "u"))
        .contains(RecordRefusal.TOPIC_NOT_AUTHORISED);
  }

  @Test
  void refusalsAreToldApartFromTransientFailures() {
    assertThat(RecordRefusal.of(new KafkaException("wrapped", new RecordTooLargeException("big"))))
        .contains(RecordRefusal.RECORD_TOO_LARGE);
    assertThat(RecordRefusal.of(new TopicAuthorizationException(Set.of("t"))))
        .contains(RecordRefusal.TOPIC_NOT_AUTHORISED);
    assertThat(RecordRefusal.of(new InvalidTopicException("t")))
        .contains(RecordRefusal.INVALID_TOPIC);
    assertThat(RecordRefusal.of(new UnknownTopicOrPartitionException("t")))
        .contains(RecordRefusal.TOPIC_MISSING);
    assertThat(RecordRefusal.of(new TimeoutException("slow"))).isEmpty();
    assertThat(RecordRefusal.of(new NotLeaderOrFollowerException("moving"))).isEmpty();
    var metadataTimeout = new TimeoutException("Topic t not present in metadata after 30000 ms.");
    assertThat(RecordRefusal.of(metadataTimeout)).isEmpty();
    assertThat(RecordRefusal.maybeMissingTopic(metadataTimeout)).isTrue();
    // An abort caused by another record's refusal is not a refusal of this record.
    var abort =
        new TransactionAbortedException(
            "Failing batch since transaction was aborted",
            new RecordTooLargeException("the other record"));
    assertThat(RecordRefusal.ofSend(abort, "t")).isEmpty();
    assertThat(RecordRefusal.ofSend(new RecordTooLargeException("this record"), "t"))
        .contains(RecordRefusal.RECORD_TOO_LARGE);
  }
}
