package io.paybridge.oauth.merchant;

import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.oauth.gocardless.Creditor;
import io.paybridge.oauth.gocardless.GoCardlessClient;
import io.paybridge.oauth.gocardless.GoCardlessProperties;
import io.paybridge.oauth.gocardless.GoCardlessRejectedException;
import io.paybridge.oauth.gocardless.GoCardlessUnavailableException;
import io.paybridge.oauth.gocardless.TokenGrant;
import io.paybridge.oauth.merchant.ConnectionState.Refusal;
import io.paybridge.oauth.merchant.ConnectionState.Refused;
import io.paybridge.oauth.vault.TokenVault;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The connect flow: a team starts a connection, the merchant consents at GoCardless, and the
 * callback exchanges the code (once), reads the creditor and stores the token, or records why not.
 * When the organisation differs from what the team expected, the token is stored held and the
 * connection waits for the team's review ({@link MerchantService#confirm}).
 */
@Service
class ConnectService {

  private static final Logger log = LoggerFactory.getLogger(ConnectService.class);
  private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,50}");

  private final MerchantRepository merchants;
  private final TokenVault vault;
  private final MerchantEvents events;
  private final GoCardlessClient gocardless;
  private final GoCardlessProperties gocardlessProperties;
  private final ConnectProperties properties;
  private final ConnectionState states;
  private final TransactionTemplate transactions;
  private final CallbackRefusals refusals;
  private final MeterRegistry meters;
  private final Clock clock;

  ConnectService(
      MerchantRepository merchants,
      TokenVault vault,
      MerchantEvents events,
      GoCardlessClient gocardless,
      GoCardlessProperties gocardlessProperties,
      ConnectProperties properties,
      TransactionTemplate transactions,
      CallbackRefusals refusals,
      MeterRegistry meters,
      Clock clock) {
    this.merchants = merchants;
    this.vault = vault;
    this.events = events;
    this.gocardless = gocardless;
    this.gocardlessProperties = gocardlessProperties;
    this.properties = properties;
    this.states = new ConnectionState(properties.stateSigningKey());
    this.transactions = transactions;
    this.refusals = refusals;
    this.meters = meters;
    this.clock = clock;
  }

  /** Starts a connection for {@code team}: a pending merchant and the URL to send it to. */
  StartedConnection start(String team, ConnectRequest request) {
    String merchantId = UUID.randomUUID().toString();
    Instant expiresAt = clock.instant().plus(properties.stateTtl());
    var issued = states.issue(merchantId, team, expiresAt);
    merchants.insertPending(
        merchantId,
        team,
        issued.nonceHash(),
        expiresAt,
        new MerchantExpectations(request.email(), request.companyName()));
    String url =
        gocardless.authorizeUrl(
            issued.state(),
            GoCardlessClient.prefill(
                request.email(),
                request.companyName(),
                request.countryCode(),
                request.initialView() == null ? null : request.initialView().wire()));
    meters.counter("paybridge.oauth.connections.started").increment();
    return new StartedConnection(merchants.find(merchantId).orElseThrow(), url);
  }

  /**
   * Handles GoCardless's redirect back. A refused state throws {@link Refused} (recorded, nothing
   * exchanged), an address with too many refusals {@link CallbackRateLimitedException} (nothing
   * read or written); every other outcome is a URL of the team's return page.
   */
  String callback(CallbackParameters callback) {
    refusals.checkAllowed(callback.remoteAddress());
    var claims = verified(callback);
    if (callback.error() != null) {
      String reason =
          OAUTH_ERROR.matcher(callback.error()).matches() ? callback.error() : "oauth_error";
      return failed(claims, reason);
    }
    if (callback.code() == null || callback.code().isBlank()) {
      return failed(claims, "missing_code");
    }
    TokenGrant grant;
    try {
      grant = gocardless.exchange(callback.code());
    } catch (GoCardlessUnavailableException e) {
      // Never retried: GoCardless may have used the code already, and a second exchange revokes.
      log.warn("Code exchange for merchant {} failed: {}", claims.merchantId(), e.getMessage());
      return failed(claims, "gocardless_unavailable");
    } catch (GoCardlessRejectedException e) {
      log.warn("GoCardless refused the code for merchant {}: {}", claims.merchantId(), e.error());
      return failed(claims, "code_rejected");
    }
    Creditor creditor;
    try {
      creditor = gocardless.firstCreditor(grant.accessToken());
    } catch (RuntimeException e) {
      log.warn(
          "Could not read the creditor of merchant {}: {}", claims.merchantId(), e.getMessage());
      revokeQuietly(grant, claims.merchantId());
      return failed(claims, "creditor_unavailable");
    }
    Outcome outcome;
    try {
      outcome = transactions.execute(status -> connect(claims, grant, creditor));
    } catch (DuplicateKeyException e) {
      // Another connection of the same organisation committed first. The token is not stored; it
      // is not revoked either, as GoCardless may have handed the same token to both.
      return failed(claims, "organisation_already_connected");
    } catch (RuntimeException e) {
      // Nothing was stored (the database is down, a constraint, a bug): a token that nobody keeps
      // must not stay valid at GoCardless.
      log.error("Could not store the connection of merchant {}", claims.merchantId(), e);
      revokeQuietly(grant, claims.merchantId());
      return failedIfPossible(claims, "storage_failed");
    }
    return switch (outcome) {
      case ORGANISATION_TAKEN -> failed(claims, "organisation_already_connected");
      case NO_LONGER_PENDING -> {
        // The team cancelled while the merchant was at GoCardless: the token is not kept.
        revokeQuietly(grant, claims.merchantId());
        yield returnUrl(claims.team(), claims.merchantId(), "failed", "cancelled_by_team");
      }
      case NEEDS_REVIEW -> {
        meters
            .counter("paybridge.oauth.connections.completed", "outcome", "needs_review")
            .increment();
        log.warn(
            "Connection of merchant {} differs from what team {} expected; held for review",
            claims.merchantId(),
            claims.team());
        yield returnUrl(claims.team(), claims.merchantId(), "needs_review", null);
      }
      case CONNECTED -> {
        meters.counter("paybridge.oauth.connections.completed", "outcome", "connected").increment();
        yield returnUrl(claims.team(), claims.merchantId(), "connected", null);
      }
    };
  }

  private enum Outcome {
    CONNECTED,
    NEEDS_REVIEW,
    ORGANISATION_TAKEN,
    NO_LONGER_PENDING
  }

  private Outcome connect(ConnectionState.Claims claims, TokenGrant grant, Creditor creditor) {
    // Not revoked when taken: GoCardless may have handed the holding merchant the same token.
    if (merchants.findHoldingOrganisationForUpdate(grant.organisationId()).isPresent()) {
      return Outcome.ORGANISATION_TAKEN;
    }
    Merchant merchant = merchants.find(claims.merchantId()).orElseThrow();
    List<String> mismatches = merchant.expected().mismatches(grant.email(), creditor.name());
    if (!mismatches.isEmpty()) {
      if (!merchants.markNeedsReview(
          claims.merchantId(),
          grant.organisationId(),
          creditor.id(),
          creditor.verificationStatus(),
          mismatches,
          grant.email(),
          creditor.name())) {
        return Outcome.NO_LONGER_PENDING;
      }
      vault.hold(claims.merchantId(), grant.organisationId(), grant.accessToken());
      return Outcome.NEEDS_REVIEW;
    }
    Instant now = clock.instant();
    if (!merchants.markConnected(
        claims.merchantId(),
        grant.organisationId(),
        creditor.id(),
        creditor.verificationStatus(),
        now)) {
      return Outcome.NO_LONGER_PENDING;
    }
    vault.store(claims.merchantId(), grant.organisationId(), grant.accessToken());
    events.publish(
        new MerchantConnected(
            claims.merchantId(),
            claims.team(),
            grant.organisationId(),
            creditor.id(),
            creditor.verificationStatus(),
            now));
    return Outcome.CONNECTED;
  }

  /** Verifies the state and uses it up; anything wrong is recorded and refused. */
  private ConnectionState.Claims verified(CallbackParameters callback) {
    ConnectionState.Claims claims;
    try {
      claims = states.verify(callback.state());
    } catch (Refused e) {
      throw refuse(e.refusal, null, null, callback);
    }
    var merchant = merchants.find(claims.merchantId()).orElse(null);
    if (merchant == null
        || !merchant.team().equals(claims.team())
        || !ConnectionState.sameHash(merchant.stateNonceHash(), claims.nonceHash())) {
      throw refuse(Refusal.FOREIGN, claims.merchantId(), claims.team(), callback);
    }
    if (claims.expiresAt().isBefore(clock.instant())) {
      merchants.markFailed(claims.merchantId(), "connection_expired");
      throw refuse(Refusal.EXPIRED, claims.merchantId(), claims.team(), callback);
    }
    if (!merchants.consumeState(claims.merchantId())) {
      throw refuse(Refusal.REPLAYED, claims.merchantId(), claims.team(), callback);
    }
    return claims;
  }

  private Refused refuse(
      Refusal refusal, String merchantId, String team, CallbackParameters callback) {
    return refusals.refuse(
        refusal, merchantId, team, callback.remoteAddress(), callback.requestId());
  }

  private String failed(ConnectionState.Claims claims, String reason) {
    merchants.markFailed(claims.merchantId(), reason);
    meters
        .counter("paybridge.oauth.connections.completed", "outcome", "failed", "reason", reason)
        .increment();
    log.info("Connection of merchant {} failed: {}", claims.merchantId(), reason);
    return returnUrl(claims.team(), claims.merchantId(), "failed", reason);
  }

  /**
   * Like {@link #failed}, when the database may be what failed: the merchant's browser is sent back
   * all the same, and a row left pending is failed by the expiry sweep ({@code
   * callback_interrupted}).
   */
  private String failedIfPossible(ConnectionState.Claims claims, String reason) {
    try {
      return failed(claims, reason);
    } catch (RuntimeException e) {
      log.warn(
          "Could not record the failure of merchant {}: {}", claims.merchantId(), e.getMessage());
      return returnUrl(claims.team(), claims.merchantId(), "failed", reason);
    }
  }

  private void revokeQuietly(TokenGrant grant, String merchantId) {
    try {
      gocardless.revoke(grant.accessToken());
    } catch (RuntimeException e) {
      log.warn("Could not revoke the token of failed merchant {}: {}", merchantId, e.getMessage());
    }
  }

  private String returnUrl(String team, String merchantId, String outcome, String reason) {
    var url =
        UriComponentsBuilder.fromUriString(properties.returnUrlFor(team))
            .queryParam("merchant_id", merchantId)
            .queryParam("outcome", outcome);
    if (reason != null) {
      url.queryParam("reason", reason);
    }
    return url.encode().build().toUriString();
  }

  /**
   * Pending connections whose merchant never came back are failed, so teams see the outcome; one
   * whose callback is still exchanging its code is left to it (scheduled by {@link
   * ConnectHousekeeping}).
   */
  void failExpiredConnections() {
    int expired = merchants.failExpired(clock.instant(), properties.abandonedCallbackAfter());
    if (expired > 0) {
      log.info("{} pending connections expired", expired);
    }
  }

  String verifyUrl() {
    return gocardlessProperties.verifyUrl();
  }

  record StartedConnection(Merchant merchant, String authorisationUrl) {}

  /** A callback to handle; {@code code} is a credential, kept out of {@link #toString}. */
  record CallbackParameters(
      String state, String code, String error, String remoteAddress, String requestId) {
    @Override
    public String toString() {
      return "CallbackParameters[error="
          + error
          + ", remoteAddress="
          + remoteAddress
          + ", requestId="
          + requestId
          + "]";
    }
  }
}
