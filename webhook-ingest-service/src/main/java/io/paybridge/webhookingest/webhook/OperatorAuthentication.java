package io.paybridge.webhookingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Who calls an operator endpoint: the operator whose configured token is the request's bearer token
 * ({@code Authorization: Bearer <token>}). A stop-gap until the platform's JWT set-up ({@code
 * paybridge.security.jwt.*}) is used here; then the operator is the token's subject.
 */
@Component
class OperatorAuthentication {

  private static final String BEARER = "Bearer ";

  // Digests of the tokens: compared in constant time and all of them every time, so the time an
  // answer takes says nothing about which token, or how much of one, matched.
  private final Map<String, byte[]> digestByOperator;

  OperatorAuthentication(OperationsProperties properties) {
    this.digestByOperator =
        properties.operators().entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> digest(e.getValue())));
  }

  /** The operator presenting {@code authorization}, or empty when it is no operator's token. */
  Optional<String> operator(String authorization) {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return Optional.empty();
    }
    byte[] presented = digest(authorization.substring(BEARER.length()).trim());
    String match = null;
    for (var entry : digestByOperator.entrySet()) {
      if (MessageDigest.isEqual(entry.getValue(), presented)) {
        match = entry.getKey();
      }
    }
    return Optional.ofNullable(match);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
