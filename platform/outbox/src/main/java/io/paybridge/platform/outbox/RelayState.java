package io.paybridge.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The mutable status of one relay instance, shared by its leader loop and its publisher. */
final class RelayState {

  private volatile RelayStatus.Role role = RelayStatus.Role.STOPPED;
  private volatile boolean streaming;
  private final AtomicLong relayed = new AtomicLong();
  private volatile Instant lastRelayedAt;
  private volatile Duration lastLag = Duration.ZERO;
  private volatile Instant failingSince;
  private volatile Instant pendingSince;
  private volatile Instant sendingSince;
  private volatile String lastError;
  private volatile Instant fencedAt;
  private volatile String slotRefusal;
  private volatile String slotRefusalDetail;
  private volatile String recordRefusal;
  private volatile String recordRefusalDetail;
  private final AtomicLong parked = new AtomicLong();

  void role(RelayStatus.Role role) {
    this.role = role;
  }

  RelayStatus.Role role() {
    return role;
  }

  void streaming(boolean streaming) {
    this.streaming = streaming;
  }

  /** A batch whose oldest record was written at {@code oldestCreatedAt} is being sent. */
  void sending(Instant oldestCreatedAt) {
    pendingSince = oldestCreatedAt;
    sendingSince = Instant.now();
  }

  void relayed(int count, Instant at, Duration lag) {
    relayed.addAndGet(count);
    lastRelayedAt = at;
    lastLag = lag;
    pendingSince = null;
    sendingSince = null;
  }

  /**
   * How far behind the outbox the relay is: while a batch waits for Kafka, the age of its oldest
   * record (it grows during an outage); otherwise the lag of the last acknowledged batch.
   */
  Duration currentLag() {
    Instant pending = pendingSince;
    return pending != null ? Duration.between(pending, Instant.now()) : lastLag;
  }

  /**
   * How long events wait for Kafka now, for {@link RelayBacklog}: how long the records of the batch
   * being sent had waited when its transaction began, or the lag of a batch acknowledged within
   * {@code recent}, whichever is longer; zero when the relay has caught up and nothing new arrived.
   * The time a batch spends in its own transaction is left out: when Kafka stops answering, that is
   * what grows, and it is no reason to refuse work (see {@link #publishing}).
   */
  Duration publishingLag(Instant now, Duration recent) {
    Duration lag = relayedWithin(now, recent) ? lastLag : Duration.ZERO;
    Instant pending = pendingSince;
    Instant started = sendingSince;
    if (pending != null && started != null) {
      Duration waited = Duration.between(pending, started);
      lag = waited.compareTo(lag) > 0 ? waited : lag;
    }
    return lag;
  }

  /** Whether a batch was acknowledged within {@code recent} before {@code now}. */
  boolean relayedWithin(Instant now, Duration recent) {
    Instant last = lastRelayedAt;
    return last != null && !last.plus(recent).isBefore(now);
  }

  /**
   * Whether the relay leads, streams and reaches Kafka, with nothing refused, and its current
   * transaction (if any) began less than {@code stallAfter} ago: one that takes longer looks like
   * Kafka going away (a send fails only after {@code send-timeout}), not like a relay that is
   * merely behind.
   */
  boolean publishing(Instant now, Duration stallAfter) {
    if (role != RelayStatus.Role.LEADER
        || !streaming
        || failingSince != null
        || slotRefusal != null
        || recordRefusal != null) {
      return false;
    }
    Instant started = sendingSince;
    return started == null || !started.plus(stallAfter).isBefore(now);
  }

  void publishingFailed(Throwable error) {
    if (failingSince == null) {
      failingSince = Instant.now();
    }
    error(error);
  }

  void publishingRecovered() {
    failingSince = null;
    recordRefusal = null;
    recordRefusalDetail = null;
  }

  /** The leader refuses to stream its slot ({@link SlotCheck}); {@code null} when it streams. */
  void slotVerdict(SlotCheck.Verdict verdict) {
    slotRefusal = verdict.refused() ? verdict.refusal().code : null;
    slotRefusalDetail = verdict.detail();
    if (verdict.refused()) {
      lastError = "slot refused (" + slotRefusal + "): " + verdict.detail();
    }
  }

  boolean slotRefused() {
    return slotRefusal != null;
  }

  /** Kafka refuses a record of the pending batch for good ({@link RecordRefusal}). */
  void recordRefused(String reason, String detail) {
    recordRefusal = reason;
    recordRefusalDetail = detail;
  }

  void parked(int count) {
    parked.addAndGet(count);
  }

  /** This instance's producer was fenced by a newer leader's: it stops streaming. */
  void fenced(Throwable error) {
    fencedAt = Instant.now();
    error(error);
  }

  void error(Throwable error) {
    lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
  }

  RelayStatus snapshot() {
    return new RelayStatus(
        role,
        streaming,
        relayed.get(),
        lastRelayedAt,
        currentLag(),
        failingSince,
        lastError,
        fencedAt,
        slotRefusal != null ? slotRefusal : recordRefusal,
        slotRefusal != null ? slotRefusalDetail : recordRefusalDetail,
        parked.get());
  }
}
