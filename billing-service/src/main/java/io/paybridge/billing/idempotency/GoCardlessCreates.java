package io.paybridge.billing.idempotency;

import com.gocardless.GoCardlessClient;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.billing.projection.Projections;
import io.paybridge.platform.gocardless.GoCardless;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * A team's create of a GoCardless resource under its {@code Idempotency-Key} ({@link
 * IdempotentCreates}), for the merchant that owns what the resource hangs on: GoCardless is asked
 * with a key derived from the team's, so a retry after a crash gets the resource the first attempt
 * made; that resource must match the request (else {@link IdempotencyKeyReusedException}); what is
 * made is stored as the team's projection in the key's transaction.
 */
@Component
public class GoCardlessCreates {

  /**
   * One kind of resource a team creates.
   *
   * @param operation the idempotency keys' operation, also part of GoCardless's key (e.g. {@code
   *     payment}); changing it changes the keys of creates already made
   * @param fetch GoCardless's resource by id, for the one an earlier attempt made
   * @param sameRequest whether that resource is what the request asks for
   * @param projector the team's view of a resource ({@code Views})
   */
  public record Resource<R, Q>(
      String operation,
      Kind kind,
      BiFunction<GoCardlessClient, String, R> fetch,
      BiPredicate<R, Q> sameRequest,
      Projector<R> projector) {}

  /** The team's view of a resource made for a merchant of an organisation. */
  @FunctionalInterface
  public interface Projector<R> {
    Projected project(R resource, String merchantId, String team, String organisationId);
  }

  /** The merchant a create is made for, and its GoCardless organisation. */
  public record Owner(String merchantId, String organisationId) {

    public static Owner of(Projected parent) {
      return new Owner(parent.merchantId(), parent.organisationId());
    }
  }

  private final GoCardless gocardless;
  private final IdempotentCreates creates;
  private final Projections projections;
  private final ProjectionRepository repository;

  GoCardlessCreates(
      GoCardless gocardless,
      IdempotentCreates creates,
      Projections projections,
      ProjectionRepository repository) {
    this.gocardless = gocardless;
    this.creates = creates;
    this.projections = projections;
    this.repository = repository;
  }

  /**
   * @param create asks GoCardless to create the resource with the given idempotency key
   */
  public <R, Q> IdempotentCreates.Result<ObjectNode> create(
      Resource<R, Q> resource,
      String team,
      String idempotencyKey,
      Q request,
      Owner owner,
      BiFunction<GoCardlessClient, String, R> create) {
    return prepareAndCreate(resource, team, idempotencyKey, request, owner, () -> create);
  }

  /**
   * @param prepare run only when the key has made nothing yet, before GoCardless is asked: checks
   *     (a refusal leaves the key free) and reads, then how to create the resource with the given
   *     idempotency key
   */
  public <R, Q> IdempotentCreates.Result<ObjectNode> prepareAndCreate(
      Resource<R, Q> resource,
      String team,
      String idempotencyKey,
      Q request,
      Owner owner,
      Supplier<BiFunction<GoCardlessClient, String, R>> prepare) {
    String key =
        gocardless.idempotencyKey(
            owner.organisationId(), resource.operation() + ":" + team + ":" + idempotencyKey);
    return creates.create(
        team,
        resource.operation(),
        idempotencyKey,
        request,
        id -> repository.find(resource.kind(), id).map(Projected::view),
        () -> {
          var create = prepare.get();
          var created =
              gocardless.create(owner.merchantId(), c -> create.apply(c, key), resource.fetch());
          if (created.existing() && !resource.sameRequest().test(created.resource(), request)) {
            // An earlier attempt with this key (which never committed here) asked for another one.
            throw new IdempotencyKeyReusedException(resource.operation());
          }
          Projected projected =
              resource
                  .projector()
                  .project(created.resource(), owner.merchantId(), team, owner.organisationId());
          return new IdempotentCreates.Made<>(
              projected.id(), projected.view(), v -> projections.saveIfAbsent(projected));
        });
  }
}
