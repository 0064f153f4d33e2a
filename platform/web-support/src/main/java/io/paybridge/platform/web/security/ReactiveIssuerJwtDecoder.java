package io.paybridge.platform.web.security;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The WebFlux counterpart of {@link IssuerJwtDecoder}: the same decoder, the same rules ({@link
 * JwtProperties}) and the same cached {@link IssuerKeys}. Checking a token against cached keys is
 * CPU work only and runs on the calling thread; a token whose key id is not cached, or a check
 * while no keys were ever had, may fetch the keys over HTTP and therefore runs on a thread that may
 * block, never on the server's event loop.
 *
 * <p>A proxy sees the same token on every request of a caller until it expires. The outcome of its
 * signature check is kept, keyed by the whole token (signature included) and the key set it was
 * verified against: while that key set is still the one in use, the same token is accepted again
 * without parsing it or verifying its signature, but its claims are checked again every time
 * ({@code exp} and {@code nbf} against the clock, issuer, audience). When the keys are fetched
 * again (every {@code refresh-interval}, or for an unknown key id), every token is verified again
 * once, so that a key the issuer withdrew stops being trusted. Only tokens that passed every check
 * are kept, at most {@value #MAX_REMEMBERED} (then the whole memory is dropped and refilled).
 */
public final class ReactiveIssuerJwtDecoder implements ReactiveJwtDecoder {

  static final int MAX_REMEMBERED = 10_000;

  /** A token that passed every check against {@code keys}. */
  private record Verified(Jwt jwt, JWKSet keys) {}

  private final IssuerJwtDecoder decoder;
  private final IssuerKeys keys;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  public ReactiveIssuerJwtDecoder(IssuerJwtDecoder decoder, IssuerKeys keys) {
    this.decoder = decoder;
    this.keys = keys;
  }

  @Override
  public Mono<Jwt> decode(String token) throws JwtException {
    JWKSet current = keys.current();
    Verified known = verified.get(token);
    if (known != null && current != null && known.keys() == current) {
      return Mono.fromCallable(() -> revalidate(token, known.jwt()));
    }
    Mono<Jwt> check = Mono.fromCallable(() -> verify(token, current));
    return keys.holds(keyId(token)) ? check : check.subscribeOn(Schedulers.boundedElastic());
  }

  private Jwt verify(String token, JWKSet before) {
    Jwt jwt = decoder.decode(token);
    // Kept only if the check ran against the key set seen before it (no fetch in between).
    if (before != null && keys.current() == before) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(token, new Verified(jwt, before));
    }
    return jwt;
  }

  private Jwt revalidate(String token, Jwt jwt) {
    try {
      return decoder.validate(jwt);
    } catch (JwtException e) {
      verified.remove(token);
      throw e;
    }
  }

  /** How many verified tokens are kept (tests). */
  int remembered() {
    return verified.size();
  }

  /** The {@code kid} of a JWS, or {@code null} (none, or not a JWS: refused without any fetch). */
  private static String keyId(String token) {
    try {
      return JWSObject.parse(token).getHeader().getKeyID();
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }
}
