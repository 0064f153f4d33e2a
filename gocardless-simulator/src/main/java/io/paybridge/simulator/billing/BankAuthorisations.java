package io.paybridge.simulator.billing;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import io.paybridge.simulator.internal.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Bank authorisations (docs/gocardless/API.md §3.6): created for a billing request whose {@code
 * bank_authorisation} action is available; the payer authorises or refuses at {@code url} (a
 * simulated bank page) within 15 minutes, which completes the action as the hosted pages do.
 */
public final class BankAuthorisations {
  /** How long the payer has at the bank (GoCardless: about 15 minutes, bank dependent). */
  static final Duration LIFETIME = Duration.ofMinutes(15);

  /** Where the payer goes afterwards when no {@code redirect_uri} is given (§3.6). */
  static final String DEFAULT_REDIRECT = "https://pay.gocardless.com/billing/static/thankyou";

  private final State state;
  private final BillingRequests billing;
  private final Supplier<String> publicUrl;
  final ResourceType<BankAuthorisation> type;

  public BankAuthorisations(State state, BillingRequests billing, Supplier<String> publicUrl) {
    this.state = state;
    this.billing = billing;
    this.publicUrl = publicUrl;
    this.type =
        new ResourceType<>(
            state,
            "bank_authorisations",
            "bank_authorisation",
            state.bankAuthorisations,
            b -> null);
  }

  public BankAuthorisation create(BillingRequest brq, String redirectUri) {
    BillingRequest.Action action = billing.available(brq, "bank_authorisation");
    if (!brq.isPending("bank_authorisation")) {
      throw ApiException.invalidState(
          "bank_authorisation_already_completed",
          "The payer has already authorised this billing request at their bank");
    }
    BankAuthorisation b = new BankAuthorisation();
    b.id = state.ids.next("BAU", 13);
    // One reading of the clock: expires_at is exactly LIFETIME after created_at.
    Instant now = state.now();
    b.createdAt = Times.iso(now);
    b.organisationId = brq.organisationId;
    b.authorisationType = action.bankAuthorisation.get("authorisation_type");
    b.expiry = now.plus(LIFETIME);
    b.expiresAt = Times.iso(b.expiry);
    b.url = publicUrl.get() + "/obauth/" + b.id;
    b.qrCodeUrl = b.url + "/qr_code";
    b.redirectUri = redirectUri != null ? redirectUri : DEFAULT_REDIRECT;
    b.links.put("billing_request", brq.id);
    b.links.put("institution", brq.institution);
    return state.bankAuthorisations.add(b);
  }

  /** The payer opened {@code url}. */
  public void visited(BankAuthorisation b) {
    b.lastVisitedAt = state.nowIso();
  }

  /**
   * The payer's decision at the bank; past the expiry it is a {@code timeout} and the request gets
   * {@code bank_authorisation_expired}. Returns the outcome.
   */
  public String decide(BankAuthorisation b, boolean authorise) {
    if (b.outcome != null) {
      return b.outcome;
    }
    BillingRequest brq = state.billingRequests.get(b.links.get("billing_request"));
    if (state.now().isAfter(b.expiry)) {
      b.outcome = "timeout";
      billing
          .event(brq, "bank_authorisation_expired", "payer")
          .link("bank_authorisation", b.id)
          .emit();
      return b.outcome;
    }
    billing.bankAuthorisation(brq, authorise, b.id);
    if (authorise) {
      b.authorisedAt = state.nowIso();
    }
    b.outcome = authorise ? "success" : "failure";
    return b.outcome;
  }
}
