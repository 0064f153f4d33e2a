package io.paybridge.simulator.creditors;

import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Creditors: seeding, and {@code verification_status} changes with their {@code creditors/updated}
 * events (docs/gocardless/API.md §2.4). HTTP is in {@link CreditorsApi}.
 */
public final class Creditors {
  public static final Set<String> VERIFICATION_STATUSES =
      Set.of("successful", "in_review", "action_required");

  private final State state;
  final ResourceType<Creditor> type;

  public Creditors(State state) {
    this.state = state;
    this.type = new ResourceType<>(state, "creditors", "creditor", state.creditors, c -> null);
  }

  /** Creates the creditor of a (seeded or newly connected) organisation. */
  public Creditor create(
      String organisationId,
      String creditorId,
      String name,
      String verificationStatus,
      Instant at) {
    Creditor c = new Creditor();
    c.id = creditorId;
    c.createdAt = io.paybridge.simulator.internal.Times.iso(at);
    c.organisationId = organisationId;
    c.name = name;
    c.verificationStatus = verificationStatus;
    String prefix = name.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
    c.bankReferencePrefix = prefix.substring(0, Math.min(4, prefix.length()));
    Creditor.SchemeIdentifier bacs = new Creditor.SchemeIdentifier();
    bacs.id = state.ids.next("SU");
    bacs.createdAt = c.createdAt;
    bacs.scheme = "bacs";
    bacs.reference = "275069";
    bacs.currency = "GBP";
    bacs.minimumAdvanceNotice = 3;
    Creditor.SchemeIdentifier sepa = new Creditor.SchemeIdentifier();
    sepa.id = state.ids.next("SU");
    sepa.createdAt = c.createdAt;
    sepa.scheme = "sepa_core";
    sepa.reference = "GB27ZZZSDDBARC0000007495895";
    sepa.currency = "EUR";
    sepa.minimumAdvanceNotice = 3;
    c.schemeIdentifiers.add(bacs);
    c.schemeIdentifiers.add(sepa);
    c.links.put("default_gbp_payout_account", state.ids.next("BA"));
    c.links.put("default_eur_payout_account", state.ids.next("BA"));
    return state.creditors.add(c);
  }

  /**
   * Changes {@code verification_status}, emitting {@code creditors/updated} (property
   * verification_status).
   */
  public boolean setVerificationStatus(Creditor creditor, String status) {
    if (status.equals(creditor.verificationStatus)) {
      return false;
    }
    creditor.verificationStatus = status;
    // Any other change (a scenario simulator) ends a review started on the verification page.
    creditor.reviewEndsAt = null;
    type.event(
            creditor,
            "updated",
            "gocardless",
            "creditor_updated",
            "This creditor has been updated.")
        .detail("property", "verification_status")
        .emit();
    return true;
  }

  /**
   * The merchant submitted its details on the verification page: {@code action_required →
   * in_review} until {@code reviewEndsAt}. Call with the lock held.
   */
  public void detailsSubmitted(Creditor creditor, Instant reviewEndsAt) {
    setVerificationStatus(creditor, "in_review");
    creditor.reviewEndsAt = reviewEndsAt;
  }

  /** Completes every review that has ended by {@code now} ({@code → successful}); lock held. */
  public void completeReviews(Instant now) {
    for (Creditor c : state.creditors.all()) {
      if (c.reviewEndsAt != null
          && "in_review".equals(c.verificationStatus)
          && !now.isBefore(c.reviewEndsAt)) {
        setVerificationStatus(c, "successful");
      }
    }
  }
}
