package io.paybridge.oauth.merchant;

import io.paybridge.oauth.web.ApiProblem;
import io.paybridge.oauth.web.ProblemException;
import io.paybridge.oauth.web.Teams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The team API: connect merchants, see them, disconnect them. Scoped to the caller's team. */
@RestController
@Tag(name = "merchants", description = "A team's GoCardless merchants")
class MerchantController {

  private final ConnectService connect;
  private final MerchantService merchants;
  private final Teams teams;

  MerchantController(ConnectService connect, MerchantService merchants, Teams teams) {
    this.connect = connect;
    this.merchants = merchants;
    this.teams = teams;
  }

  @PostMapping("/merchant-connections")
  @Operation(
      summary = "Start connecting a merchant",
      description =
          "Creates a pending merchant and answers the GoCardless authorisation URL to send the"
              + " merchant to. The link is single-use and expires.")
  ResponseEntity<ConnectionStarted> start(
      @AuthenticationPrincipal Jwt caller, @RequestBody(required = false) ConnectRequest request) {
    var started =
        connect.start(teams.of(caller), request == null ? ConnectRequest.empty() : request);
    var merchant = started.merchant();
    return ResponseEntity.created(URI.create("/merchants/" + merchant.id()))
        .body(
            new ConnectionStarted(
                merchant.id(),
                merchant.status(),
                started.authorisationUrl(),
                merchant.stateExpiresAt()));
  }

  @GetMapping("/merchants")
  @Operation(summary = "The team's merchants, newest first")
  List<MerchantView> list(
      @AuthenticationPrincipal Jwt caller,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") int offset) {
    if (limit < 1 || limit > 500 || offset < 0) {
      throw new ProblemException(
          ApiProblem.INVALID_REQUEST, "limit must be 1..500 and offset >= 0");
    }
    MerchantStatus filter = null;
    if (status != null) {
      try {
        filter = MerchantStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(
            ApiProblem.INVALID_REQUEST,
            "status must be one of pending, needs_review, connected, disconnected, failed");
      }
    }
    return merchants.list(teams.of(caller), filter, limit, offset);
  }

  @GetMapping("/merchants/{merchantId}")
  @Operation(summary = "One of the team's merchants")
  MerchantView get(@AuthenticationPrincipal Jwt caller, @PathVariable String merchantId) {
    return merchants.get(teams.of(caller), merchantId);
  }

  @DeleteMapping("/merchants/{merchantId}")
  @Operation(
      summary = "Disconnect a merchant",
      description =
          "Forgets and revokes the merchant's token and closes the connection (a pending one is"
              + " cancelled, one held for review is rejected). Idempotent: answers the merchant as"
              + " it now is.")
  MerchantView disconnect(@AuthenticationPrincipal Jwt caller, @PathVariable String merchantId) {
    return merchants.disconnect(teams.of(caller), merchantId, caller.getSubject());
  }

  @PostMapping("/merchants/{merchantId}/confirmation")
  @Operation(
      summary = "Confirm a connection held for review",
      description =
          "The organisation that connected differed from what the team expected (see review);"
              + " confirming connects it: its token is handed out from now on and MerchantConnected"
              + " published. Reject it with DELETE instead. Idempotent for a connected merchant;"
              + " 409 merchant-not-in-review otherwise.")
  MerchantView confirm(@AuthenticationPrincipal Jwt caller, @PathVariable String merchantId) {
    return merchants.confirm(teams.of(caller), merchantId, caller.getSubject());
  }

  /** The answer to a started connection. */
  record ConnectionStarted(
      String merchantId, MerchantStatus status, String authorisationUrl, Instant expiresAt) {}
}
