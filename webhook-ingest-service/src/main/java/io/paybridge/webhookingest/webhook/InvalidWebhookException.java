package io.paybridge.webhookingest.webhook;

/**
 * Inside {@link WebhookBatchParser}: the text is not what was expected (malformed JSON, or not the
 * webhook shape). Never leaves the parser's callers: a signed body that is not a webhook is stored
 * and quarantined, not refused.
 */
class InvalidWebhookException extends RuntimeException {

  InvalidWebhookException(String message) {
    super(message);
  }
}
