package io.paybridge.oauth.gocardless;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PayBridge's GoCardless partner app and where GoCardless lives ({@code
 * paybridge.oauth.gocardless.*}). The URLs come from the platform's one setting {@code
 * paybridge.gocardless.environment} (application.yml refers to {@code
 * paybridge.gocardless.api-url}, {@code connect-url}, {@code verify-url}, which web-support derives
 * from it); the simulator's are given explicitly. In live mode web-support refuses to start with
 * anything but GoCardless's live URLs and secrets from the secret store (docs/go-live.md).
 *
 * @param apiUrl the REST API base URL. Required
 * @param connectUrl the OAuth host ({@code /oauth/authorize}, {@code /oauth/access_token}, {@code
 *     /oauth/revoke}). Required
 * @param authorizeUrl where the merchant's browser is sent to grant access; default {@code
 *     <connectUrl>/oauth/authorize}. Set only where the browser reaches the OAuth host at another
 *     address than the service does (the simulator in docker-compose)
 * @param verifyUrl where a merchant whose verification needs action is sent (docs/gocardless/API.md
 *     §2.4). GoCardless's onboarding flow is one URL (the merchant logs in there); a flow that
 *     needs to be told the merchant, such as the simulator's page, names it with the placeholders
 *     {@code {organisation}} and {@code {creditor}}, replaced per merchant
 * @param clientId the partner app's client id
 * @param clientSecret the partner app's client secret: from the secret store, never committed
 * @param redirectUri this service's callback URL exactly as registered with the app ({@code
 *     https://<host>/oauth/callback})
 * @param scope the access asked for: {@code read_write} (billing needs it) or {@code read_only}
 * @param connectTimeout TCP connect timeout for calls to GoCardless
 * @param readTimeout how long a call to GoCardless may take
 */
@ConfigurationProperties("paybridge.oauth.gocardless")
public record GoCardlessProperties(
    String apiUrl,
    String connectUrl,
    String authorizeUrl,
    String verifyUrl,
    String clientId,
    String clientSecret,
    String redirectUri,
    @DefaultValue("read_write") String scope,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration readTimeout) {

  public GoCardlessProperties {
    if (apiUrl == null || apiUrl.isBlank() || connectUrl == null || connectUrl.isBlank()) {
      throw new IllegalArgumentException(
          "paybridge.oauth.gocardless.api-url and connect-url are not set: choose"
              + " paybridge.gocardless.environment (sandbox or live), or give the simulator's"
              + " paybridge.gocardless.api-url and connect-url");
    }
    apiUrl = stripSlash(apiUrl);
    connectUrl = stripSlash(connectUrl);
    authorizeUrl =
        authorizeUrl == null || authorizeUrl.isBlank()
            ? connectUrl + "/oauth/authorize"
            : stripSlash(authorizeUrl);
    verifyUrl = verifyUrl == null || verifyUrl.isBlank() ? null : verifyUrl;
  }

  /** The verification link of one merchant: {@link #verifyUrl} with its placeholders filled. */
  public String verificationUrl(String organisationId, String creditorId) {
    if (verifyUrl == null) {
      return null;
    }
    return verifyUrl
        .replace("{organisation}", encode(organisationId))
        .replace("{creditor}", encode(creditorId));
  }

  private static String encode(String value) {
    return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String stripSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "GoCardlessProperties[apiUrl="
        + apiUrl
        + ", connectUrl="
        + connectUrl
        + ", clientId="
        + clientId
        + ", redirectUri="
        + redirectUri
        + "]";
  }
}
