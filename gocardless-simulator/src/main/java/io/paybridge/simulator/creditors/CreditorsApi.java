package io.paybridge.simulator.creditors;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ApiRequest;
import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** {@code /creditors}: list, get, update; plus seeding and verification status changes. */
public final class CreditorsApi {
  public static final Set<String> VERIFICATION_STATUSES =
      Set.of("successful", "in_review", "action_required");

  private final State state;

  public CreditorsApi(State state) {
    this.state = state;
  }

  public void routes(Router router) {
    router.add(
        "GET",
        "/creditors",
        r ->
            ApiResponse.of(
                200,
                Pagination.page(
                    "creditors",
                    state.creditors.list(
                        c ->
                            c.organisationId.equals(r.organisationId())
                                && Pagination.inRange(r, "created_at", c.createdAt)),
                    r,
                    c -> c)));
    router.add(
        "GET",
        "/creditors/:identity",
        r -> ApiResponse.ok("creditors", state.creditors.find(r.organisationId(), r.id())));
    router.add("PUT", "/creditors/:identity", this::update);
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
    state
        .event(creditor.organisationId, "creditors", "updated")
        .link("creditor", creditor.id)
        .origin("gocardless")
        .cause("creditor_updated")
        .description("This creditor has been updated.")
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

  private ApiResponse update(ApiRequest r) {
    Creditor c = state.creditors.find(r.organisationId(), r.id());
    JsonNode body = r.envelope("creditors");
    ApiException.Validation v = new ApiException.Validation("creditors");
    String name = Json.text(body, "name");
    if (body.has("name") && (name == null || name.isBlank())) {
      v.field("name", "can't be blank");
    }
    v.throwIfInvalid();
    if (name != null) {
      c.name = name;
    }
    for (String f :
        new String[] {
          "address_line1", "address_line2", "address_line3", "city", "region", "postal_code"
        }) {
      if (body.has(f)) {
        String value = Json.text(body, f);
        switch (f) {
          case "address_line1" -> c.addressLine1 = value;
          case "address_line2" -> c.addressLine2 = value;
          case "address_line3" -> c.addressLine3 = value;
          case "city" -> c.city = value;
          case "region" -> c.region = value;
          default -> c.postalCode = value;
        }
      }
    }
    if (body.has("country_code")) {
      c.countryCode = Json.text(body, "country_code");
    }
    return ApiResponse.ok("creditors", c);
  }
}
