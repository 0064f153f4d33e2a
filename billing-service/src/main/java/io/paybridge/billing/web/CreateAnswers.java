package io.paybridge.billing.web;

import io.paybridge.billing.idempotency.IdempotentCreates;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.node.ObjectNode;

/** How every create under an {@code Idempotency-Key} is answered. */
public final class CreateAnswers {

  private CreateAnswers() {}

  /**
   * 201 with the new resource's {@code Location} under {@code collection} (e.g. {@code /payments}),
   * or 200 when an earlier request with the same key made it.
   */
  public static ResponseEntity<ObjectNode> answer(
      String collection, IdempotentCreates.Result<ObjectNode> result) {
    return ResponseEntity.status(result.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
        .location(URI.create(collection + "/" + result.resource().get("id").asString()))
        .body(result.resource());
  }
}
