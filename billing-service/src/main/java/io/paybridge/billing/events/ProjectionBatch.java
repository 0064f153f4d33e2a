package io.paybridge.billing.events;

import io.paybridge.billing.merchant.Merchant;
import io.paybridge.billing.merchant.MerchantRepository;
import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.platform.events.billing.BillingFact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the events of one transaction read and write, so that a poll's events cost a few statements
 * rather than a few per event: the merchants of their organisations (read once each), their
 * resources' rows (locked together up front), the rows they change (saved together at the end, each
 * once, as the last event left it) and their facts (appended together at the end, in the events'
 * order). The events see each other's changes: two events of one resource in one batch apply as
 * they would one after the other.
 */
final class ProjectionBatch {

  private final MerchantRepository merchants;
  private final ProjectionRepository projections;
  private final Map<String, Optional<Merchant>> merchantsByOrganisation = new HashMap<>();
  private final Map<Kind, Map<String, Optional<Projected>>> rows = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, Projected>> changed = new EnumMap<>(Kind.class);
  private final List<BillingFact> facts = new ArrayList<>();

  ProjectionBatch(MerchantRepository merchants, ProjectionRepository projections) {
    this.merchants = merchants;
    this.projections = projections;
  }

  /** Locks the rows of these resources in one statement per kind (absent ones are remembered). */
  void lockAll(Kind kind, Collection<String> ids) {
    var locked = projections.lockAll(kind, ids);
    var known = rows.computeIfAbsent(kind, k -> new HashMap<>());
    for (String id : ids) {
      known.putIfAbsent(id, Optional.ofNullable(locked.get(id)));
    }
  }

  /**
   * The merchant of an organisation, connected or not ({@link MerchantRepository#ofOrganisation}).
   */
  Optional<Merchant> merchantOf(String organisationId) {
    return merchantsByOrganisation.computeIfAbsent(organisationId, merchants::ofOrganisation);
  }

  /** The resource's row as this batch has left it, locked for the transaction. */
  Optional<Projected> lock(Kind kind, String id) {
    return rows.computeIfAbsent(kind, k -> new HashMap<>())
        .computeIfAbsent(id, i -> projections.lock(kind, i));
  }

  void save(Projected projected) {
    rows.computeIfAbsent(projected.kind(), k -> new HashMap<>())
        .put(projected.id(), Optional.of(projected));
    changed
        .computeIfAbsent(projected.kind(), k -> new LinkedHashMap<>())
        .put(projected.id(), projected);
  }

  void publish(BillingFact fact) {
    facts.add(fact);
  }

  /** Writes the changed rows and the facts (in the caller's transaction). */
  void flush(BillingFacts outbox) {
    List<Projected> saved = new ArrayList<>();
    changed.values().forEach(byId -> saved.addAll(byId.values()));
    if (!saved.isEmpty()) {
      projections.saveAll(saved);
    }
    outbox.publishAll(facts);
  }
}
