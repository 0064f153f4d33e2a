package io.paybridge.billing.projection;

import io.paybridge.billing.merchant.ResourceNotFoundException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/** Reads of the projections for a team: another team's resource is not found. */
@Component
public class Projections {

  private final ProjectionRepository repository;

  Projections(ProjectionRepository repository) {
    this.repository = repository;
  }

  public Projected owned(Kind kind, String id, String team) {
    return repository
        .findForTeam(kind, id, team)
        .orElseThrow(() -> new ResourceNotFoundException(kind.label(), id));
  }

  public ObjectNode view(Kind kind, String id, String team) {
    return owned(kind, id, team).view();
  }

  public Page list(Kind kind, String team, ListQuery query) {
    var rows =
        repository.list(
            kind,
            team,
            query.merchantId(),
            query.status(),
            query.createdFrom(),
            query.createdBefore(),
            query.after(),
            query.limit() + 1);
    return Page.of(rows, query.limit());
  }

  /** Stores a resource this service just created, unless its events got it here first. */
  public void saveIfAbsent(Projected projected) {
    if (repository.find(projected.kind(), projected.id()).isEmpty()) {
      repository.save(projected);
    }
  }

  /** Stores GoCardless's current state of a resource after an action, keeping its event time. */
  public ObjectNode refresh(Projected current, Projected fetched) {
    var updated =
        new Projected(
            fetched.kind(),
            fetched.id(),
            current.merchantId(),
            current.team(),
            current.organisationId(),
            fetched.status(),
            mergeFailure(current.view(), fetched.view()),
            current.createdAt(),
            current.lastEventAt());
    repository.save(updated);
    return updated.view();
  }

  /** A fetched view has no failure details (only events carry them): keep the known ones. */
  static ObjectNode mergeFailure(ObjectNode current, ObjectNode fetched) {
    if (current.has("failure") && !fetched.has("failure")) {
      fetched.set("failure", current.get("failure"));
    }
    return fetched;
  }
}
