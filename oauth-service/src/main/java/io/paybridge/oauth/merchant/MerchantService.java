package io.paybridge.oauth.merchant;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.gocardless.Creditor;
import io.paybridge.oauth.gocardless.GoCardlessClient;
import io.paybridge.oauth.gocardless.GoCardlessProperties;
import io.paybridge.oauth.gocardless.GoCardlessRejectedException;
import io.paybridge.oauth.gocardless.GoCardlessUnavailableException;
import io.paybridge.oauth.vault.TokenVault;
import io.paybridge.oauth.vault.TokenVault.MerchantToken;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantVerificationChanged;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** A team's merchants, and what GoCardless tells us about them. */
@Service
class MerchantService {

  static final String REVOKED_BY_MERCHANT = "revoked_by_merchant";
  static final String DISCONNECTED_BY_TEAM = "disconnected_by_team";
  static final String REJECTED_BY_TEAM = "rejected_by_team";

  private static final Logger log = LoggerFactory.getLogger(MerchantService.class);

  private final MerchantRepository merchants;
  private final TokenVault vault;
  private final MerchantEvents events;
  private final GoCardlessClient gocardless;
  private final GoCardlessProperties gocardlessProperties;
  private final StaleGoCardlessEventRepository staleEvents;
  private final TransactionTemplate transactions;
  private final MeterRegistry meters;
  private final Clock clock;

  MerchantService(
      MerchantRepository merchants,
      TokenVault vault,
      MerchantEvents events,
      GoCardlessClient gocardless,
      GoCardlessProperties gocardlessProperties,
      StaleGoCardlessEventRepository staleEvents,
      TransactionTemplate transactions,
      MeterRegistry meters,
      Clock clock) {
    this.merchants = merchants;
    this.vault = vault;
    this.events = events;
    this.gocardless = gocardless;
    this.gocardlessProperties = gocardlessProperties;
    this.staleEvents = staleEvents;
    this.transactions = transactions;
    this.meters = meters;
    this.clock = clock;
  }

  List<MerchantView> list(String team, MerchantStatus status, int limit, int offset) {
    return merchants.listForTeam(team, status, limit, offset).stream().map(this::view).toList();
  }

  /** A merchant of the team; another team's merchant does not exist for it. */
  MerchantView get(String team, String id) {
    return view(owned(team, id));
  }

  MerchantView view(Merchant merchant) {
    return MerchantView.of(
        merchant,
        gocardlessProperties.verificationUrl(merchant.organisationId(), merchant.creditorId()));
  }

  /**
   * Ends a merchant's connection at the team's request: the token is shredded and the fact
   * published in one transaction, then revoked at GoCardless. A pending connection is cancelled; a
   * connection held for review is rejected (its token shredded and revoked, nothing published: it
   * was never announced). Repeating it changes nothing.
   */
  MerchantView disconnect(String team, String id, String teamMember) {
    Merchant merchant = owned(team, id);
    switch (merchant.status()) {
      case PENDING -> merchants.markFailed(id, "cancelled_by_team");
      case NEEDS_REVIEW -> {
        var token = vault.revealHeld(id);
        boolean rejected =
            Boolean.TRUE.equals(
                transactions.execute(status -> endReview(merchant, REJECTED_BY_TEAM, teamMember)));
        if (rejected && token.isPresent()) {
          revoke(id, token.get().accessToken());
        }
      }
      case CONNECTED -> {
        var token = vault.reveal(id);
        boolean ended =
            Boolean.TRUE.equals(
                transactions.execute(status -> endConnection(merchant, DISCONNECTED_BY_TEAM)));
        if (ended && token.isPresent()) {
          revoke(id, token.get().accessToken());
        }
      }
      case DISCONNECTED, FAILED -> {}
    }
    return view(merchants.find(id).orElseThrow());
  }

  /**
   * The team accepts a connection held for review: its token is released and {@code
   * MerchantConnected} published. The creditor is read again with the held token first, as its
   * verification status may have changed during the review (creditor events are not applied to held
   * connections) and the merchant may have revoked the app meanwhile (then the connection fails,
   * {@code revoked_by_merchant}). Confirming a connected merchant changes nothing.
   *
   * @throws MerchantNotInReviewException when the merchant is neither held nor connected
   * @throws GoCardlessUnavailableException when the creditor cannot be read now
   */
  MerchantView confirm(String team, String id, String teamMember) {
    Merchant merchant = owned(team, id);
    if (merchant.status() == MerchantStatus.CONNECTED) {
      return view(merchant);
    }
    var token =
        merchant.status() == MerchantStatus.NEEDS_REVIEW
            ? vault.revealHeld(id)
            : Optional.<MerchantToken>empty();
    if (token.isEmpty()) {
      throw new MerchantNotInReviewException(id, merchant.status());
    }
    Creditor creditor;
    try {
      creditor = gocardless.creditor(token.get().accessToken(), merchant.creditorId());
    } catch (GoCardlessRejectedException e) {
      log.info("The held token of merchant {} no longer works: {}", id, e.error());
      transactions.execute(status -> endReview(merchant, REVOKED_BY_MERCHANT, teamMember));
      return view(merchants.find(id).orElseThrow());
    }
    transactions.executeWithoutResult(
        status -> {
          Instant now = clock.instant();
          if (merchants.markReviewConfirmed(
              id, creditor.id(), creditor.verificationStatus(), now, teamMember)) {
            vault.release(id);
            events.publish(
                new MerchantConnected(
                    id,
                    merchant.team(),
                    merchant.organisationId(),
                    creditor.id(),
                    creditor.verificationStatus(),
                    now));
            meters
                .counter("paybridge.oauth.connections.completed", "outcome", "confirmed")
                .increment();
          }
        });
    return view(merchants.find(id).orElseThrow());
  }

  private void revoke(String id, String accessToken) {
    try {
      gocardless.revoke(accessToken);
    } catch (RuntimeException e) {
      // The token is forgotten either way; GoCardless keeps it valid until the merchant
      // revokes the app.
      meters.counter("paybridge.oauth.revocations.failed").increment();
      log.warn("Could not revoke the token of merchant {}: {}", id, e.getMessage());
    }
  }

  /**
   * GoCardless says the merchant revoked PayBridge's access; call inside the consumer's tx. A
   * revocation older than the current connection was of an earlier one: the current token is valid
   * and kept.
   */
  void organisationDisconnected(GoCardlessEvent event) {
    merchants
        .findConnectedByOrganisationForUpdate(event.organisationId())
        .ifPresentOrElse(
            merchant -> {
              if (!stale(event, merchant)) {
                endConnection(merchant, REVOKED_BY_MERCHANT);
              }
            },
            () ->
                log.info(
                    "Disconnect of organisation {} names no connected merchant",
                    event.organisationId()));
  }

  /**
   * A creditor of a connected merchant changed its verification status: the event does not say to
   * what, so the creditor is read again. Call inside the consumer's transaction.
   */
  void creditorVerificationChanged(GoCardlessEvent event, String creditorId) {
    var found = merchants.findConnectedByOrganisationForUpdate(event.organisationId());
    if (found.isEmpty()) {
      log.info(
          "Creditor update for organisation {} names no connected merchant",
          event.organisationId());
      return;
    }
    Merchant merchant = found.get();
    // The status read when the connection was made already includes an older change, and any
    // change since has its own, newer event: reading the creditor again would add nothing.
    if (stale(event, merchant)) {
      return;
    }
    var token = vault.reveal(merchant.id());
    if (token.isEmpty()) {
      return;
    }
    Creditor creditor;
    try {
      creditor =
          gocardless.creditor(
              token.get().accessToken(), creditorId != null ? creditorId : merchant.creditorId());
    } catch (GoCardlessRejectedException e) {
      // A revoked token (401) means the disconnect event is on its way; nothing to update.
      log.info(
          "GoCardless refused the creditor read for merchant {}: {}", merchant.id(), e.error());
      return;
    }
    if (Objects.equals(creditor.verificationStatus(), merchant.verificationStatus())) {
      return;
    }
    merchants.updateVerification(merchant.id(), creditor.id(), creditor.verificationStatus());
    events.publish(
        new MerchantVerificationChanged(
            merchant.id(),
            merchant.team(),
            merchant.organisationId(),
            creditor.id(),
            merchant.verificationStatus(),
            creditor.verificationStatus(),
            MerchantView.ACTION_REQUIRED.equals(creditor.verificationStatus())
                ? gocardlessProperties.verificationUrl(merchant.organisationId(), creditor.id())
                : null,
            clock.instant()));
  }

  /**
   * True (and the event recorded and counted) if GoCardless created the event before the merchant's
   * connection was stored: it is about an earlier connection of the organisation, delivered late (a
   * retried webhook, consumer lag, a dead-letter replay), and must not change this one.
   *
   * <p>No tolerance. The two times come from different clocks (GoCardless's for the event, ours for
   * {@code connected_at}), but between them lies the merchant going through consent again: a
   * revocation of the old connection precedes the new consent, the code exchange and our storing of
   * the connection by at least that human step (seconds to minutes), far more than the skew of two
   * NTP-synchronised clocks. A revocation of the new connection comes after the code exchange,
   * which precedes {@code connected_at} only by the callback's own duration. Misjudging either
   * needs a skew beyond both; the recorded row (both times) lets an operator check a case close to
   * the boundary. An event without a time is applied, as before this check.
   */
  private boolean stale(GoCardlessEvent event, Merchant merchant) {
    if (event.createdAt() == null
        || merchant.connectedAt() == null
        || !event.createdAt().isBefore(merchant.connectedAt())) {
      return false;
    }
    staleEvents.record(event, merchant.id(), merchant.connectedAt());
    meters
        .counter(
            "paybridge.oauth.events.stale",
            "resource_type",
            event.resourceType(),
            "action",
            event.action())
        .increment();
    log.info(
        "Ignored GoCardless event {} ({}.{}) of organisation {}: created at {}, before merchant {}"
            + " connected at {}",
        event.id(),
        event.resourceType(),
        event.action(),
        event.organisationId(),
        event.createdAt(),
        merchant.id(),
        merchant.connectedAt());
    return true;
  }

  private boolean endConnection(Merchant merchant, String reason) {
    Instant now = clock.instant();
    if (!merchants.markDisconnected(merchant.id(), reason, now)) {
      return false;
    }
    vault.shred(merchant.id());
    events.publish(
        new MerchantDisconnected(
            merchant.id(), merchant.team(), merchant.organisationId(), reason, now));
    meters.counter("paybridge.oauth.disconnections", "reason", reason).increment();
    return true;
  }

  private boolean endReview(Merchant merchant, String reason, String teamMember) {
    if (!merchants.markReviewFailed(merchant.id(), reason, clock.instant(), teamMember)) {
      return false;
    }
    vault.shred(merchant.id());
    return true;
  }

  private Merchant owned(String team, String id) {
    return merchants.findForTeam(id, team).orElseThrow(() -> new MerchantNotFoundException(id));
  }
}
