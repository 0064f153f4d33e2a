package io.paybridge.platform.web.security;

import com.nimbusds.jose.JWSObject;
import java.text.ParseException;
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
 */
public final class ReactiveIssuerJwtDecoder implements ReactiveJwtDecoder {

  private final IssuerJwtDecoder decoder;
  private final IssuerKeys keys;

  public ReactiveIssuerJwtDecoder(IssuerJwtDecoder decoder, IssuerKeys keys) {
    this.decoder = decoder;
    this.keys = keys;
  }

  @Override
  public Mono<Jwt> decode(String token) throws JwtException {
    Mono<Jwt> check = Mono.fromCallable(() -> decoder.decode(token));
    return keys.holds(keyId(token)) ? check : check.subscribeOn(Schedulers.boundedElastic());
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
