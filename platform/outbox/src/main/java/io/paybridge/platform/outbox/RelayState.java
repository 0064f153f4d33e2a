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
  }

  void relayed(int count, Instant at, Duration lag) {
    relayed.addAndGet(count);
    lastRelayedAt = at;
    lastLag = lag;
    pendingSince = null;
  }

  /**
   * How far behind the outbox the relay is: while a batch waits for Kafka, the age of its oldest
   * record (it grows during an outage); otherwise the lag of the last acknowledged batch.
   */
  Duration currentLag() {
    Instant pending = pendingSince;
    return pending != null ? Duration.between(pending, Instant.now()) : lastLag;
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
