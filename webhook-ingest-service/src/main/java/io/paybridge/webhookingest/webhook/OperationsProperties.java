package io.paybridge.webhookingest.webhook;

import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator endpoints ({@code /operations/**}: inspect and release the quarantine), {@code
 * paybridge.webhooks.operations.*}.
 *
 * @param operators bearer token of each operator, by operator name (the name is what the audit
 *     columns record as {@code released_by}). Empty by default: every operator request is then
 *     answered 401. From the secret store, never committed (environment {@code
 *     PAYBRIDGE_WEBHOOKS_OPERATIONS_OPERATORS_<NAME>=<token>}); each token at least {@value
 *     #MIN_TOKEN_LENGTH} characters, e.g. {@code openssl rand -hex 32}.
 */
@ConfigurationProperties("paybridge.webhooks.operations")
public record OperationsProperties(@DefaultValue Map<String, String> operators) {

  /** Shorter tokens could be guessed; the service refuses to start with one. */
  public static final int MIN_TOKEN_LENGTH = 32;

  public OperationsProperties {
    operators.forEach(
        (name, token) -> {
          if (token == null || token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                "The operator token of "
                    + name
                    + " must have at least "
                    + MIN_TOKEN_LENGTH
                    + " characters");
          }
        });
    operators = Map.copyOf(operators);
  }

  @Override
  public String toString() {
    return "OperationsProperties[operators="
        + operators.keySet().stream()
            .map(name -> name + "=<redacted>")
            .collect(Collectors.joining(", ", "{", "}"))
        + "]";
  }
}
