package io.paybridge.platform.web.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service checks the bearer tokens of its callers ({@code paybridge.security.jwt.*}): which
 * issuer, for which audience, signed how, and how it keeps the issuer's keys.
 *
 * <p>The issuer and the audiences have no default: a service that does not say whom it trusts does
 * not start. Only asymmetric signature algorithms are accepted; a shared-secret algorithm ({@code
 * HS*}) would let every holder of the secret mint tokens, and {@code none} is no signature at all.
 *
 * @param issuerUri the issuer, exactly as in the tokens' {@code iss} claim; its keys are found by
 *     OIDC discovery ({@code <issuer>/.well-known/openid-configuration}) unless {@code jwks-uri} is
 *     set. Required
 * @param audiences the audiences this service accepts: a token must name at least one of them in
 *     {@code aud}. Required, not empty
 * @param jwksUri where the issuer publishes its keys, when discovery is not wanted (default: from
 *     discovery)
 * @param algorithms the accepted signature algorithms: {@code RS256}, {@code RS384}, {@code RS512},
 *     {@code ES256}, {@code ES384}, {@code ES512}, {@code PS256}, {@code PS384}, {@code PS512}
 *     (default {@code RS256})
 * @param clockSkew how far {@code exp} and {@code nbf} may be off the service's clock (default 30s)
 * @param connectTimeout connecting to the issuer for discovery and keys (default 2s)
 * @param readTimeout reading the issuer's answer (default 3s)
 * @param refreshInterval how often the keys are fetched again in the background (default 5m)
 * @param retryInterval while fetching fails: how soon it is tried again, and the {@code
 *     Retry-After} of requests refused because no keys could be had yet (default 5s)
 * @param unknownKeyRefetchInterval a token signed with a key id that is not cached makes the keys
 *     be fetched at once (the issuer rotated its keys), at most this often (default 30s)
 */
@ConfigurationProperties("paybridge.security.jwt")
public record JwtProperties(
    String issuerUri,
    List<String> audiences,
    URI jwksUri,
    @DefaultValue("RS256") List<String> algorithms,
    @DefaultValue("30s") Duration clockSkew,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("3s") Duration readTimeout,
    @DefaultValue("5m") Duration refreshInterval,
    @DefaultValue("5s") Duration retryInterval,
    @DefaultValue("30s") Duration unknownKeyRefetchInterval) {

  /** The algorithms that may be configured: public-key signatures only. */
  public static final Set<String> ASYMMETRIC =
      Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512");

  public JwtProperties {
    if (issuerUri == null || issuerUri.isBlank()) {
      throw new IllegalArgumentException(
          "paybridge.security.jwt.issuer-uri is not set: name the identity provider whose tokens"
              + " this service accepts (the local profile and local-stack set a development one)");
    }
    URI issuer = URI.create(issuerUri);
    if (!issuer.isAbsolute() || !issuer.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "paybridge.security.jwt.issuer-uri must be an http(s) URL, not '" + issuerUri + "'");
    }
    if (audiences == null || audiences.stream().allMatch(a -> a == null || a.isBlank())) {
      throw new IllegalArgumentException(
          "paybridge.security.jwt.audiences is not set: name the audience(s) a token must be meant"
              + " for to be accepted here");
    }
    audiences = audiences.stream().filter(a -> a != null && !a.isBlank()).toList();
    if (algorithms == null || algorithms.isEmpty()) {
      throw new IllegalArgumentException("paybridge.security.jwt.algorithms must not be empty");
    }
    for (String algorithm : algorithms) {
      if (!ASYMMETRIC.contains(algorithm)) {
        throw new IllegalArgumentException(
            "paybridge.security.jwt.algorithms: '"
                + algorithm
                + "' is refused; only asymmetric signatures are accepted "
                + ASYMMETRIC.stream().sorted().toList());
      }
    }
    algorithms = List.copyOf(algorithms);
    requirePositive("clock-skew", clockSkew, true);
    requirePositive("connect-timeout", connectTimeout, false);
    requirePositive("read-timeout", readTimeout, false);
    requirePositive("refresh-interval", refreshInterval, false);
    requirePositive("retry-interval", retryInterval, false);
    requirePositive("unknown-key-refetch-interval", unknownKeyRefetchInterval, true);
  }

  private static void requirePositive(String name, Duration value, boolean zeroAllowed) {
    if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
      throw new IllegalArgumentException(
          "paybridge.security.jwt." + name + " must be " + (zeroAllowed ? "≥ 0" : "> 0"));
    }
  }
}
