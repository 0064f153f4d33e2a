package io.paybridge.billing.projection;

import io.paybridge.platform.crypto.KeyedCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seals a projection's {@code metadata} before it is stored and opens it when it is read: the
 * stored view carries {@code metadataEncrypted} (a {@link KeyedCipher} ciphertext bound to the
 * resource id) instead of {@code metadata}. Empty metadata is stored as it is.
 */
@Component
class PersonalDataCipher {

  static final String SEALED = "metadataEncrypted";

  private static final Logger log = LoggerFactory.getLogger(PersonalDataCipher.class);

  private final KeyedCipher cipher;
  private final String activeKeyId;
  private final ObjectMapper mapper;

  PersonalDataCipher(PersonalDataEncryptionProperties properties, ObjectMapper mapper) {
    this.mapper = mapper;
    if (properties.keys().isEmpty()) {
      log.warn(
          "No paybridge.billing.personal-data-encryption.keys: resources' metadata is stored"
              + " unencrypted");
      this.cipher = null;
      this.activeKeyId = null;
    } else {
      this.cipher = new KeyedCipher(properties.keys(), "personal data encryption key");
      if (!cipher.holds(properties.activeKeyId())) {
        throw new IllegalStateException(
            "paybridge.billing.personal-data-encryption.active-key-id must name one of the"
                + " configured keys "
                + cipher.keyIds());
      }
      this.activeKeyId = properties.activeKeyId();
    }
  }

  boolean enabled() {
    return cipher != null;
  }

  String activeKeyId() {
    return activeKeyId;
  }

  /** The view as it is stored: a copy, its non-empty metadata sealed under {@code keyId}. */
  ObjectNode seal(ObjectNode view, String resourceId) {
    return seal(view, resourceId, activeKeyId);
  }

  ObjectNode seal(ObjectNode view, String resourceId, String keyId) {
    var metadata = view.get("metadata");
    if (cipher == null || !(metadata instanceof ObjectNode object) || object.isEmpty()) {
      return view;
    }
    ObjectNode stored = view.deepCopy();
    stored.remove("metadata");
    stored.put(
        SEALED, cipher.encrypt(keyId, mapper.writeValueAsString(object), context(resourceId)));
    return stored;
  }

  /** The view as the API shows it: sealed metadata opened (in place). */
  ObjectNode open(ObjectNode stored, String resourceId) {
    var sealed = stored.get(SEALED);
    if (sealed == null || !sealed.isString()) {
      return stored;
    }
    if (cipher == null) {
      throw new IllegalStateException(
          "A resource's metadata is encrypted but no personal data encryption key is configured");
    }
    stored.remove(SEALED);
    stored.set("metadata", mapper.readTree(cipher.decrypt(sealed.asString(), context(resourceId))));
    return stored;
  }

  private static String context(String resourceId) {
    return "paybridge-billing-metadata:" + resourceId;
  }
}
