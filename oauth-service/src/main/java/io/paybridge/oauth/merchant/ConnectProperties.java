package io.paybridge.oauth.merchant;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The connect flow ({@code paybridge.oauth.connect.*}).
 *
 * @param stateTtl how long a merchant has from the start of a connection to GoCardless's callback;
 *     an older state is refused
 * @param stateSigningKey HMAC-SHA256 key signing the {@code state} parameter: Base64 of at least 32
 *     random bytes, from the secret store, never committed
 * @param returnUrls each team's return page (team → URL): after the callback the merchant's browser
 *     is sent there with {@code merchant_id}, {@code outcome} ({@code connected}/{@code failed})
 *     and, on failure, {@code reason}. A team name with dots is written {@code "[team.name]"}.
 * @param defaultReturnUrl the return page of a team without one of its own; defaults to the
 *     service's own {@code /oauth/complete} page
 * @param expirySweepInterval how often pending connections whose state expired are marked failed
 */
@ConfigurationProperties("paybridge.oauth.connect")
public record ConnectProperties(
    @DefaultValue("15m") Duration stateTtl,
    String stateSigningKey,
    @DefaultValue Map<String, String> returnUrls,
    @DefaultValue("/oauth/complete") String defaultReturnUrl,
    @DefaultValue("1m") Duration expirySweepInterval) {

  public String returnUrlFor(String team) {
    return returnUrls.getOrDefault(team, defaultReturnUrl);
  }

  @Override
  public String toString() {
    return "ConnectProperties[stateTtl=" + stateTtl + ", returnUrls=" + returnUrls + "]";
  }
}
