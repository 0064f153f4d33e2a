package io.paybridge.platform.web.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Checks a bearer token against {@link JwtProperties}: signature by one of the issuer's keys with
 * an accepted algorithm, issuer, audience, expiry (required) and not-before with the clock skew. A
 * token that fails any of these is a {@link JwtException} (401); keys that cannot be had are an
 * {@link IdentityProviderUnavailableException} (503).
 */
public final class IssuerJwtDecoder implements JwtDecoder {

  private final NimbusJwtDecoder delegate;
  private final JwtProperties properties;
  private final OAuth2TokenValidator<Jwt> validator;

  public IssuerJwtDecoder(JwtProperties properties, IssuerKeys keys, Clock clock) {
    this.properties = properties;
    List<SignatureAlgorithm> algorithms =
        properties.algorithms().stream().map(SignatureAlgorithm::from).toList();
    delegate =
        NimbusJwtDecoder.withJwkSource(keys)
            .jwsAlgorithms(
                accepted -> {
                  accepted.clear();
                  accepted.addAll(algorithms);
                })
            .build();
    var timestamps = new JwtTimestampValidator(properties.clockSkew());
    // A token without expiry would be valid for ever.
    timestamps.setAllowEmptyExpiryClaim(false);
    if (clock != null) {
      timestamps.setClock(clock);
    }
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(timestamps);
    validators.add(new JwtIssuerValidator(properties.issuerUri()));
    validators.add(
        new JwtClaimValidator<Object>(
            JwtClaimNames.AUD,
            audience ->
                audience instanceof Collection<?> named
                    && named.stream().anyMatch(properties.audiences()::contains)));
    validator = new DelegatingOAuth2TokenValidator<>(validators);
    delegate.setJwtValidator(validator);
  }

  /**
   * The claim checks alone (expiry and not-before against the clock, issuer, audience), for a token
   * whose signature was verified before: what {@link #decode} checks after the signature.
   *
   * @throws JwtValidationException as {@link #decode} would
   */
  Jwt validate(Jwt jwt) {
    OAuth2TokenValidatorResult result = validator.validate(jwt);
    if (result.hasErrors()) {
      var first = result.getErrors().iterator().next();
      throw new JwtValidationException(
          "An error occurred while attempting to decode the Jwt: " + first.getDescription(),
          result.getErrors());
    }
    return jwt;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    try {
      return delegate.decode(token);
    } catch (JwtException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof IssuerKeys.KeysUnavailableException unavailable) {
          throw new IdentityProviderUnavailableException(
              unavailable.getMessage(), properties.retryInterval());
        }
      }
      throw e;
    }
  }
}
