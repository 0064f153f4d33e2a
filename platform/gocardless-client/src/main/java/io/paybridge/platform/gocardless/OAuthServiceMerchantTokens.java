package io.paybridge.platform.gocardless;

import java.time.Duration;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reads a merchant's token from oauth-service's {@code GET /internal/merchants/{id}/access-token}
 * with the service's own client-credentials token (the {@link RestClient} given carries it). The
 * token is returned to the caller and nowhere else: never logged, never stored.
 */
public class OAuthServiceMerchantTokens implements MerchantTokens {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private final RestClient oauthService;

  /**
   * @param oauthService a client with oauth-service's base URL that adds the service's bearer token
   */
  public OAuthServiceMerchantTokens(RestClient oauthService) {
    this.oauthService = oauthService;
  }

  @Override
  public MerchantToken fetch(String merchantId) {
    TokenResponse response;
    try {
      response =
          oauthService
              .get()
              .uri("/internal/merchants/{id}/access-token", merchantId)
              .retrieve()
              .body(TokenResponse.class);
    } catch (RestClientResponseException e) {
      HttpStatusCode status = e.getStatusCode();
      if (status.value() == 404) {
        throw new GoCardlessFailure.MerchantNotConnected(merchantId);
      }
      // 401/403 here are this service's own credentials, not the merchant's: an outage to
      // retry, and an alarm (logged by the caller), not a reason to ask the merchant to reconnect.
      throw new GoCardlessFailure.Unavailable(
          "oauth-service answered " + status.value() + " for the merchant's token",
          RETRY_AFTER,
          null,
          null);
    } catch (ResourceAccessException e) {
      throw new GoCardlessFailure.Unavailable(
          "oauth-service could not be reached for the merchant's token", RETRY_AFTER, null, null);
    } catch (RestClientException e) {
      throw new GoCardlessFailure.Unavailable(
          "oauth-service's token answer could not be read (" + e.getClass().getSimpleName() + ")",
          RETRY_AFTER,
          null,
          null);
    }
    if (response == null || response.accessToken() == null || response.organisationId() == null) {
      throw new GoCardlessFailure.Unavailable(
          "oauth-service answered without a token", RETRY_AFTER, null, null);
    }
    return new MerchantToken(merchantId, response.organisationId(), response.accessToken());
  }

  /** oauth-service's answer ({@code TokenAccessController.AccessTokenResponse}). */
  record TokenResponse(
      String merchantId, String organisationId, String accessToken, String tokenType) {
    @Override
    public String toString() {
      return "TokenResponse[merchantId=" + merchantId + "]";
    }
  }
}
