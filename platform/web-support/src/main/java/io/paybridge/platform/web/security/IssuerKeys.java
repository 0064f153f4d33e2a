package io.paybridge.platform.web.security;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The issuer's public keys, fetched at start-up and kept: token checks never wait for the issuer
 * while keys are cached. A background task fetches them again every {@code refresh-interval} (and
 * every {@code retry-interval} while that fails); when fetching fails the cached keys stay in use,
 * so a slow or briefly absent issuer does not lock callers out. A token signed with an unknown key
 * id makes the keys be fetched at once (the issuer rotated them), at most every {@code
 * unknown-key-refetch-interval}, so that forged key ids cannot make the service hammer the issuer.
 *
 * <p>If keys were never obtained (the issuer was down at start-up and still is), a token check
 * tries once per {@code retry-interval} and otherwise fails at once with {@link
 * KeysUnavailableException}, which the decoder reports as {@link
 * IdentityProviderUnavailableException} (503).
 */
public final class IssuerKeys implements JWKSource<SecurityContext>, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);
  private static final int SIZE_LIMIT = 512 * 1024;

  private final JwtProperties properties;
  private final ResourceRetriever http;
  private final ReentrantLock fetching = new ReentrantLock();
  private final AtomicLong failedRefreshes = new AtomicLong();
  private volatile JWKSet keys;
  private volatile URL jwksUrl;
  private volatile long lastAttemptNanos;
  private volatile boolean attempted;
  private volatile long lastSuccessNanos;
  private volatile String lastFailure;
  private ScheduledExecutorService scheduler;

  public IssuerKeys(JwtProperties properties) {
    this.properties = properties;
    this.http =
        new DefaultResourceRetriever(
            Math.toIntExact(properties.connectTimeout().toMillis()),
            Math.toIntExact(properties.readTimeout().toMillis()),
            SIZE_LIMIT);
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    JWKSet current = keys;
    if (current == null) {
      refreshUnlessTriedWithin(properties.retryInterval());
      current = keys;
      if (current == null) {
        throw new KeysUnavailableException(
            "No keys of " + properties.issuerUri() + " could be obtained: " + lastFailure);
      }
      return selector.select(current);
    }
    List<JWK> found = selector.select(current);
    if (found.isEmpty()) {
      refreshUnlessTriedWithin(properties.unknownKeyRefetchInterval());
      found = selector.select(keys);
    }
    return found;
  }

  /**
   * Whether checking a token with key id {@code keyId} can be done with the cached keys alone
   * (without fetching): keys are cached and either hold that id or no id is named. A token whose
   * key id is unknown may make {@link #get} fetch the keys, which blocks.
   */
  public boolean holds(String keyId) {
    JWKSet current = keys;
    return current != null && (keyId == null || current.getKeyByKeyId(keyId) != null);
  }

  /**
   * The key set in use, as one object per fetch ({@code null} while none was had): a check made
   * against it holds while it is still the one in use.
   */
  JWKSet current() {
    return keys;
  }

  /** What the health endpoint shows. */
  public State state() {
    JWKSet current = keys;
    return new State(
        current == null ? List.of() : current.getKeys().stream().map(JWK::getKeyID).toList(),
        failedRefreshes.get(),
        lastFailure);
  }

  /**
   * The keys as last fetched.
   *
   * @param keyIds the ids of the cached keys; empty while none could be had
   * @param failedRefreshes how many fetches failed since start-up
   * @param lastFailure why the last fetch failed, or {@code null} if it succeeded
   */
  public record State(List<String> keyIds, long failedRefreshes, String lastFailure) {

    public boolean available() {
      return !keyIds.isEmpty();
    }
  }

  /** Fetches the keys now unless some thread tried within {@code interval}. */
  void refreshUnlessTriedWithin(Duration interval) {
    fetching.lock();
    try {
      if (attempted && System.nanoTime() - lastAttemptNanos < interval.toNanos()) {
        return;
      }
      refresh();
    } finally {
      fetching.unlock();
    }
  }

  private void refresh() {
    attempted = true;
    lastAttemptNanos = System.nanoTime();
    try {
      URL url = jwksUrl != null ? jwksUrl : discover();
      jwksUrl = url;
      JWKSet fetched = JWKSet.parse(http.retrieveResource(url).getContent());
      if (fetched.isEmpty()) {
        throw new IOException(url + " lists no keys");
      }
      JWKSet previous = keys;
      keys = fetched;
      lastSuccessNanos = System.nanoTime();
      lastFailure = null;
      if (previous == null || !keyIds(previous).equals(keyIds(fetched))) {
        log.info("Keys of issuer {}: {}", properties.issuerUri(), keyIds(fetched));
      }
    } catch (IOException | ParseException | RuntimeException e) {
      failedRefreshes.incrementAndGet();
      lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (keys == null) {
        log.warn(
            "Keys of issuer {} cannot be fetched; bearer tokens are answered 503 until they can: {}",
            properties.issuerUri(),
            lastFailure);
      } else {
        log.warn(
            "Keys of issuer {} cannot be refreshed; the cached ones stay in use: {}",
            properties.issuerUri(),
            lastFailure);
      }
    }
  }

  private URL discover() throws IOException, ParseException {
    if (properties.jwksUri() != null) {
      return properties.jwksUri().toURL();
    }
    String issuer = properties.issuerUri();
    URL configuration =
        URI.create(
                (issuer.endsWith("/") ? issuer : issuer + "/") + ".well-known/openid-configuration")
            .toURL();
    var metadata = JSONObjectUtils.parse(http.retrieveResource(configuration).getContent());
    // As OIDC discovery requires: the document must be the configured issuer's own.
    if (!issuer.equals(JSONObjectUtils.getString(metadata, "issuer"))) {
      throw new IOException(
          configuration
              + " names issuer "
              + JSONObjectUtils.getString(metadata, "issuer")
              + ", not "
              + issuer);
    }
    URI jwks = JSONObjectUtils.getURI(metadata, "jwks_uri");
    if (jwks == null) {
      throw new IOException(configuration + " has no jwks_uri");
    }
    return jwks.toURL();
  }

  private static List<String> keyIds(JWKSet set) {
    return set.getKeys().stream().map(JWK::getKeyID).map(Objects::toString).sorted().toList();
  }

  /** Runs in the background: the periodic refresh, and retries while fetching fails. */
  private void tick() {
    boolean due =
        keys == null
            || System.nanoTime() - lastSuccessNanos >= properties.refreshInterval().toNanos();
    if (due) {
      refreshUnlessTriedWithin(Duration.ZERO);
    }
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    // Once at start-up, so that the first requests find the keys; a failure does not stop the
    // service from starting (the readiness probe shows it, the background retries).
    refreshUnlessTriedWithin(Duration.ZERO);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jwt-keys-refresh").daemon().factory());
    long period =
        Math.min(properties.refreshInterval().toMillis(), properties.retryInterval().toMillis());
    scheduler.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** No keys of the issuer could be obtained yet. */
  static final class KeysUnavailableException extends KeySourceException {

    KeysUnavailableException(String message) {
      super(message);
    }
  }
}
