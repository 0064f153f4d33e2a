package io.paybridge.platform.outbox;

/**
 * The relay's producer was fenced: another producer with the same {@code transactional.id} (a newer
 * leader) has initialised, so this relay must stop streaming. Its open transaction is aborted by
 * the broker and nothing it sent becomes visible to {@code read_committed} consumers.
 */
final class RelayFencedException extends RuntimeException {

  RelayFencedException(Throwable cause) {
    super("The outbox relay's producer was fenced by a newer leader: " + cause.getMessage(), cause);
  }
}
