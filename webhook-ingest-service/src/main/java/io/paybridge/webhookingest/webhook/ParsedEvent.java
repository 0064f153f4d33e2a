package io.paybridge.webhookingest.webhook;

/** One element of a webhook's {@code events}: an event that can be routed, or one to quarantine. */
sealed interface ParsedEvent permits GoCardlessEvent, ParsedEvent.Rejected {

  /**
   * An element that cannot be routed.
   *
   * @param index its position in {@code events}
   * @param json the element exactly as in the body
   * @param reason why
   * @param detail why, for humans
   * @param eventId its {@code id} when that is a string, else {@code null}
   */
  record Rejected(int index, String json, QuarantineReason reason, String detail, String eventId)
      implements ParsedEvent {}
}
