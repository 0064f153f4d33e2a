package io.paybridge.oauth.merchant;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The connect flow ({@code paybridge.oauth.connect.*}).
 *
 * @param stateTtl how long a merchant has from the start of a connection to GoCardless's callback;
 *     an older state is refused. It covers signing up for a GoCardless account when the merchant
 *     has none, so it cannot be much shorter than the default
 * @param stateSigningKey HMAC-SHA256 key signing the {@code state} parameter: Base64 of at least 32
 *     random bytes, from the secret store, never committed
 * @param returnUrls each team's return page (team → URL): after the callback the merchant's browser
 *     is sent there with {@code merchant_id}, {@code outcome} ({@code connected}/{@code
 *     needs_review}/{@code failed}) and, on failure, {@code reason}. A team name with dots is
 *     written {@code "[team.name]"}.
 * @param defaultReturnUrl the return page of a team without one of its own; defaults to the
 *     service's own {@code /oauth/complete} page
 * @param expirySweepInterval how often pending connections whose state expired are marked failed
 * @param abandonedCallbackAfter how long after its state was consumed a still pending connection is
 *     taken for a callback that died midway (the sweep then fails it, {@code
 *     callback_interrupted}); well above the longest callback (two GoCardless calls and a revoke,
 *     each bounded by the GoCardless timeouts)
 * @param refusedCallbacks how refused callbacks are limited and how long they are kept
 */
@ConfigurationProperties("paybridge.oauth.connect")
public record ConnectProperties(
    @DefaultValue("15m") Duration stateTtl,
    String stateSigningKey,
    @DefaultValue Map<String, String> returnUrls,
    @DefaultValue("/oauth/complete") String defaultReturnUrl,
    @DefaultValue("1m") Duration expirySweepInterval,
    @DefaultValue("5m") Duration abandonedCallbackAfter,
    @DefaultValue RefusedCallbacks refusedCallbacks) {

  public String returnUrlFor(String team) {
    return returnUrls.getOrDefault(team, defaultReturnUrl);
  }

  @Override
  public String toString() {
    return "ConnectProperties[stateTtl=" + stateTtl + ", returnUrls=" + returnUrls + "]";
  }

  /**
   * Refused callbacks ({@code paybridge.oauth.connect.refused-callbacks.*}): the callback is
   * public, so whoever sends forged, foreign, expired or replayed states is slowed down per
   * address, and the evidence table stays bounded.
   *
   * @param limit refused callbacks an address may cause per {@code window} (a token bucket: they
   *     come back at {@code limit} per {@code window}); beyond it every callback from the address
   *     answers 429 without touching the database. An IPv6 address counts by its /64 network. The
   *     address is the TCP peer's unless Spring's {@code server.forward-headers-strategy} is set
   *     behind a trusted proxy
   * @param window see {@code limit}
   * @param maxTrackedAddresses how many addresses the limiter remembers at most (memory bound); an
   *     address beyond it is not limited, but its refusals still count against {@code max-recorded}
   * @param retention how long a refused callback is kept in {@code oauth_callback_rejection}
   * @param maxRecorded how many refused callbacks are kept at most (the newest)
   * @param pruneInterval how often the table is cut to {@code retention} and {@code max-recorded}
   */
  public record RefusedCallbacks(
      @DefaultValue("10") int limit,
      @DefaultValue("1m") Duration window,
      @DefaultValue("10000") int maxTrackedAddresses,
      @DefaultValue("30d") Duration retention,
      @DefaultValue("100000") int maxRecorded,
      @DefaultValue("1h") Duration pruneInterval) {

    public RefusedCallbacks {
      if (limit < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("refused-callbacks: limit >= 1 and a positive window");
      }
    }
  }
}
