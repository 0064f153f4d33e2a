package io.paybridge.oauth.vault;

import io.paybridge.platform.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view and control of token encryption keys: which key the cluster encrypts with, which
 * keys each running instance holds, and the activation of another key. Key material never passes
 * here; it is configuration of each instance.
 */
@RestController
@Tag(name = "operations", description = "For operators only (key management scope required)")
class TokenKeyController {

  private final TokenKeys keys;
  private final TokenAccessAudit audit;

  TokenKeyController(TokenKeys keys, TokenAccessAudit audit) {
    this.keys = keys;
    this.audit = audit;
  }

  @GetMapping("/operations/token-encryption-keys")
  @Operation(
      summary = "The active key, the known keys and the keys of every running instance",
      description =
          "Check before an activation that every instance lists the new key, and after it that"
              + " staleTokens falls to 0 before the old key is removed.",
      security = @SecurityRequirement(name = "bearer"))
  KeyInventoryResponse inventory() {
    var inventory = keys.inventory();
    return new KeyInventoryResponse(
        inventory.activeKeyId(),
        inventory.keys().stream()
            .map(
                k ->
                    new KeyResponse(
                        k.keyId(), k.state(), k.activatedAt(), k.activatedBy(), k.retiredAt()))
            .toList(),
        inventory.instances().stream()
            .map(
                h ->
                    new InstanceResponse(h.instanceId(), h.keyIds(), h.startedAt(), h.lastSeenAt()))
            .toList(),
        inventory.staleTokens(),
        inventory.failedTokens());
  }

  @PutMapping("/operations/token-encryption-keys/active")
  @Operation(
      summary = "Make a key the one that encrypts, on every instance",
      description =
          "409 token-key-not-held while a running instance does not hold the key (its id is"
              + " listed in instancesWithoutKey). Activating the active key again changes"
              + " nothing (changed: false). Recorded with the caller's identity.",
      security = @SecurityRequirement(name = "bearer"))
  ActivationResponse activate(
      @RequestBody ActivateKeyRequest body,
      @AuthenticationPrincipal Jwt operator,
      HttpServletRequest request) {
    var caller = audit.caller(operator);
    String by =
        caller.clientId() == null || caller.clientId().equals(caller.subject())
            ? caller.subject()
            : caller.subject() + " (" + caller.clientId() + ")";
    var activation = keys.activate(body.keyId(), by, RequestIds.of(request));
    var active = activation.active();
    return new ActivationResponse(
        active.keyId(), active.activatedAt(), active.activatedBy(), activation.changed());
  }

  /** Which key to activate. */
  record ActivateKeyRequest(String keyId) {
    ActivateKeyRequest {
      if (keyId == null || !TokenCipher.isValidKeyId(keyId)) {
        throw new IllegalArgumentException("keyId must be 1 to 32 letters, digits, '-' or '_'");
      }
    }
  }

  /** The active key after an activation; {@code changed} is false if it already was active. */
  record ActivationResponse(
      String activeKeyId, Instant activatedAt, String activatedBy, boolean changed) {}

  /** The cluster's key state. */
  record KeyInventoryResponse(
      String activeKeyId,
      List<KeyResponse> keys,
      List<InstanceResponse> instances,
      long staleTokens,
      long failedTokens) {}

  /** A key known to the cluster ({@code active} or {@code retired}). */
  record KeyResponse(
      String keyId, String state, Instant activatedAt, String activatedBy, Instant retiredAt) {}

  /** A running instance and the key ids it holds. */
  record InstanceResponse(
      String instanceId, SortedSet<String> keyIds, Instant startedAt, Instant lastSeenAt) {}
}
