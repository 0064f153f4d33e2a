package io.paybridge.notification.delivery;

/** No delivery with this id for the caller's team. */
class DeliveryNotFoundException extends RuntimeException {
  DeliveryNotFoundException(String id) {
    super("No delivery " + id);
  }
}
