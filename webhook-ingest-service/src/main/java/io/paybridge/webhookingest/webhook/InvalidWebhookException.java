package io.paybridge.webhookingest.webhook;

/**
 * The body is not a GoCardless webhook (malformed JSON, or not the webhook shape): answered 400.
 */
class InvalidWebhookException extends RuntimeException {

  InvalidWebhookException(String message) {
    super(message);
  }
}
