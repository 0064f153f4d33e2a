package io.paybridge.billing.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * A create under a team's {@code Idempotency-Key}: the same key with the same request gives the
 * same resource, with another request a refusal, and a crash between GoCardless's create and the
 * commit still one resource (GoCardless gets a deterministic key derived from the team's, and
 * returns the resource it made the first time).
 */
@Component
public class IdempotentCreates {

  /** What a create made: its id and the step that stores it (run in the key's transaction). */
  public record Made<V>(String id, V view, Consumer<V> store) {}

  private final IdempotencyKeyRepository keys;
  private final TransactionTemplate transactions;
  private final ObjectMapper mapper;

  IdempotentCreates(
      IdempotencyKeyRepository keys, TransactionTemplate transactions, ObjectMapper mapper) {
    this.keys = keys;
    this.transactions = transactions;
    this.mapper = mapper;
  }

  /**
   * @param request the request as the team sent it (its JSON is hashed)
   * @param find the stored resource by id, for a key seen before
   * @param create calls GoCardless (idempotently) and says how to store what it made
   * @return the resource, and whether it was made by an earlier request with this key
   */
  public <V> Result<V> create(
      String team,
      String operation,
      String key,
      Object request,
      Function<String, Optional<V>> find,
      Supplier<Made<V>> create) {
    String hash = hash(request);
    var earlier = keys.find(team, operation, key);
    if (earlier.isPresent()) {
      var replay = replay(earlier.get(), hash, operation, find);
      if (replay.isPresent()) {
        return new Result<>(replay.get(), true);
      }
    }
    Made<V> made = create.get();
    Result<V> result =
        transactions.execute(
            status -> {
              if (!keys.insert(team, operation, key, hash, made.id())) {
                var recorded = keys.find(team, operation, key).orElseThrow();
                var replayed = replay(recorded, hash, operation, find);
                if (replayed.isPresent()) {
                  return new Result<>(replayed.get(), true);
                }
                // The key is recorded but its resource is not held here: hold what GoCardless
                // returned for the same key before answering with it, never answer unstored.
                made.store().accept(made.view());
                return new Result<>(made.view(), true);
              }
              made.store().accept(made.view());
              return new Result<>(made.view(), false);
            });
    return result;
  }

  private <V> Optional<V> replay(
      IdempotencyKeyRepository.Recorded recorded,
      String hash,
      String operation,
      Function<String, Optional<V>> find) {
    if (!recorded.requestHash().equals(hash)) {
      throw new IdempotencyKeyReusedException(operation);
    }
    return find.apply(recorded.resourceId());
  }

  private String hash(Object request) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(mapper.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The resource, and whether an earlier request with the same key made it. */
  public record Result<V>(V resource, boolean replayed) {}
}
