package io.paybridge.oauth.vault;

import java.util.List;

/**
 * A key may not become active: a running instance does not hold it (or no instance reports its keys
 * at all), and would fail to read every token encrypted under it.
 */
public class KeyActivationRefusedException extends RuntimeException {

  private final String keyId;
  private final List<String> instancesWithoutKey;

  public KeyActivationRefusedException(String keyId, List<String> instancesWithoutKey) {
    super(
        instancesWithoutKey.isEmpty()
            ? "No running instance reports its keys; key '" + keyId + "' cannot be checked"
            : "Key '"
                + keyId
                + "' is not held by every running instance; missing on "
                + instancesWithoutKey);
    this.keyId = keyId;
    this.instancesWithoutKey = List.copyOf(instancesWithoutKey);
  }

  public String keyId() {
    return keyId;
  }

  public List<String> instancesWithoutKey() {
    return instancesWithoutKey;
  }
}
