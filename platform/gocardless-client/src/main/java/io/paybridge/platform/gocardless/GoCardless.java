package io.paybridge.platform.gocardless;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.gocardless.GoCardlessClient;
import com.gocardless.errors.AuthenticationException;
import com.gocardless.http.HttpClient;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.springframework.boot.ssl.SslBundle;

/**
 * Calls GoCardless for a merchant with the official client: one client per merchant token (kept for
 * {@code token-ttl}, at most {@code max-merchants}), every call through a circuit breaker for
 * GoCardless as a whole, a bulkhead and a rate limiter per merchant, retries of what is safe to
 * repeat, and the client's exceptions turned into {@link GoCardlessFailure}s.
 *
 * <p>A 401 drops the merchant's token and client and fetches the token again, once: a token that
 * oauth-service replaced (the merchant reconnected) works at once; a revoked one ends as {@link
 * GoCardlessFailure.ReconnectionRequired}.
 */
public class GoCardless {

  /** The circuit breaker's and retry's name (metrics tag {@code name}). */
  public static final String NAME = "gocardless";

  /** How a call may be repeated. */
  public enum Safety {
    /** A read: repeated when GoCardless is unavailable. */
    READ,
    /** A create carrying an idempotency key: repeated, GoCardless creates at most once. */
    IDEMPOTENT_CREATE,
    /** Anything else (actions, creates without a key, updates): made once. */
    ONCE
  }

  /** The resource a create made, and whether it was made by an earlier call with the same key. */
  public record Created<T>(T resource, boolean existing) {}

  private static final Constructor<GoCardlessClient> CLIENT_CONSTRUCTOR = clientConstructor();

  private final GoCardlessProperties properties;
  private final MerchantTokens tokens;
  private final Clock clock;
  private final OkHttpClient http;
  private final Cache<String, MerchantClient> clients;
  private final Cache<String, RateLimitHeaders> rateLimitHeaders;
  private final CircuitBreaker circuitBreaker;
  private final Retry retry;
  private final BulkheadRegistry bulkheads;
  private final RateLimiterRegistry rateLimiters;

  public GoCardless(
      GoCardlessProperties properties,
      MerchantTokens tokens,
      Clock clock,
      CircuitBreakerRegistry circuitBreakers,
      RetryRegistry retries,
      BulkheadRegistry bulkheads,
      RateLimiterRegistry rateLimiters) {
    this(properties, tokens, clock, circuitBreakers, retries, bulkheads, rateLimiters, null);
  }

  /**
   * @param tls whose trust material verifies GoCardless's certificate ({@link
   *     GoCardlessTlsProperties}); {@code null}: the JVM's default trust
   */
  public GoCardless(
      GoCardlessProperties properties,
      MerchantTokens tokens,
      Clock clock,
      CircuitBreakerRegistry circuitBreakers,
      RetryRegistry retries,
      BulkheadRegistry bulkheads,
      RateLimiterRegistry rateLimiters,
      SslBundle tls) {
    this.properties = properties;
    this.tokens = tokens;
    this.clock = clock;
    // One connection pool for every merchant; each merchant's client adds its own interceptor.
    var builder =
        new OkHttpClient.Builder()
            .connectTimeout(properties.connectTimeout())
            .readTimeout(properties.readTimeout())
            .writeTimeout(properties.readTimeout())
            .callTimeout(properties.callTimeout())
            .followRedirects(false);
    if (tls != null) {
      X509TrustManager trust =
          Arrays.stream(tls.getManagers().getTrustManagers())
              .filter(X509TrustManager.class::isInstance)
              .map(X509TrustManager.class::cast)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("The GoCardless SSL bundle has no X.509 trust"));
      builder.sslSocketFactory(tls.createSslContext().getSocketFactory(), trust);
    }
    this.http = builder.build();
    this.clients =
        Caffeine.newBuilder()
            .maximumSize(properties.maxMerchants())
            .expireAfterWrite(properties.tokenTtl())
            .build();
    this.rateLimitHeaders =
        Caffeine.newBuilder()
            .maximumSize(properties.maxMerchants())
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    this.circuitBreaker =
        circuitBreakers.circuitBreaker(
            NAME,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumCalls())
                .waitDurationInOpenState(properties.openStateWait())
                .permittedNumberOfCallsInHalfOpenState(3)
                // Only GoCardless being down counts; a refused request shows it is up.
                .recordException(e -> e instanceof GoCardlessFailure.Unavailable)
                .build());
    this.retry =
        retries.retry(
            NAME,
            RetryConfig.<Object>custom()
                .maxAttempts(properties.retryAttempts())
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(properties.retryWait(), 2.0))
                .retryOnException(GoCardless::worthRepeating)
                .build());
    this.bulkheads = bulkheads;
    this.rateLimiters = rateLimiters;
  }

  /** A read ({@link Safety#READ}). */
  public <T> T read(String merchantId, Function<GoCardlessClient, T> call) {
    return call(merchantId, Safety.READ, call);
  }

  /** An action or another call that is made once ({@link Safety#ONCE}). */
  public <T> T once(String merchantId, Function<GoCardlessClient, T> call) {
    return call(merchantId, Safety.ONCE, call);
  }

  /**
   * A create with an idempotency key (the client must be told {@code withIdempotencyKey}). When the
   * key was used before, the resource created then is fetched with {@code fetchExisting} and
   * returned as {@link Created#existing()}; the caller compares it with what it asked for.
   */
  public <T> Created<T> create(
      String merchantId,
      Function<GoCardlessClient, T> create,
      BiFunction<GoCardlessClient, String, T> fetchExisting) {
    try {
      return new Created<>(call(merchantId, Safety.IDEMPOTENT_CREATE, create), false);
    } catch (GoCardlessFailure.IdempotencyConflict conflict) {
      if (conflict.conflictingResourceId() == null) {
        throw conflict;
      }
      T existing = read(merchantId, c -> fetchExisting.apply(c, conflict.conflictingResourceId()));
      return new Created<>(existing, true);
    }
  }

  /** Any call, repeated only if {@code safety} allows. */
  public <T> T call(String merchantId, Safety safety, Function<GoCardlessClient, T> call) {
    if (safety == Safety.ONCE) {
      return attempt(merchantId, call);
    }
    return retry.executeSupplier(() -> attempt(merchantId, call));
  }

  /**
   * The GoCardless idempotency key of one intent of a merchant: scoped by environment and
   * organisation, so that the same intent in another environment or for another merchant never
   * collides, and deterministic, so that a repeated or crashed request sends the same key.
   *
   * @param intent what is being created and the caller's own key, e.g. {@code
   *     billing-request:<team>:<Idempotency-Key>}
   */
  public String idempotencyKey(String organisationId, String intent) {
    return idempotencyKey(properties.environment(), organisationId, intent);
  }

  static String idempotencyKey(String environment, String organisationId, String intent) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (environment + "\n" + organisationId + "\n" + intent)
                      .getBytes(StandardCharsets.UTF_8));
      return "paybridge-" + environment + "-" + HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The merchant's GoCardless organisation, from its token (fetched if not held). */
  public String organisationOf(String merchantId) {
    return client(merchantId).token().organisationId();
  }

  /** The circuit breaker in front of GoCardless (health, tests). */
  public CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  /** Forgets every merchant's token and client (they are fetched again when next needed). */
  public void forgetTokens() {
    clients.invalidateAll();
  }

  private <T> T attempt(String merchantId, Function<GoCardlessClient, T> call) {
    MerchantClient merchant = client(merchantId);
    try {
      return guarded(merchant, call);
    } catch (GoCardlessFailure.ReconnectionRequired refused) {
      if (!(refused.getCause() instanceof AuthenticationException)) {
        throw refused;
      }
      // The token may have been replaced since it was fetched: fetch it again, once.
      clients.invalidate(merchantId);
      return guarded(client(merchantId), call);
    }
  }

  private <T> T guarded(MerchantClient merchant, Function<GoCardlessClient, T> call) {
    String organisation = merchant.token().organisationId();
    var blocked = merchant.rateLimit().blockedFor(properties.rateLimitReserve());
    if (blocked.isPresent()) {
      throw new GoCardlessFailure.RateLimited(
          "GoCardless's rate limit for this merchant is used up until its reset",
          blocked.get(),
          null,
          null);
    }
    RateLimiter limiter = rateLimiter(organisation, merchant.rateLimit());
    if (!limiter.acquirePermission()) {
      throw new GoCardlessFailure.RateLimited(
          "The client-side rate limit for this merchant is used up",
          untilNextPermission(limiter),
          null,
          null);
    }
    Bulkhead bulkhead = bulkheads.bulkhead(NAME + "-" + organisation, this::bulkheadConfig);
    try {
      return Bulkhead.decorateSupplier(
              bulkhead,
              () ->
                  circuitBreaker.executeSupplier(
                      () -> {
                        try {
                          return call.apply(merchant.client());
                        } catch (RuntimeException e) {
                          throw GoCardlessErrors.map(
                              e,
                              merchant
                                  .rateLimit()
                                  .blockedFor(0)
                                  .orElse(properties.defaultRateLimitReset()),
                              properties.retryWait().multipliedBy(5));
                        }
                      }))
          .get();
    } catch (CallNotPermittedException open) {
      throw new GoCardlessFailure.Unavailable(
          "GoCardless is failing: calls are refused for now (circuit open)",
          properties.openStateWait(),
          null,
          open);
    } catch (BulkheadFullException full) {
      throw new GoCardlessFailure.Unavailable(
          "Too many calls to GoCardless in flight for this merchant",
          Duration.ofSeconds(1),
          null,
          full);
    }
  }

  private static Duration untilNextPermission(RateLimiter limiter) {
    if (limiter instanceof AtomicRateLimiter atomic) {
      return Duration.ofNanos(Math.max(atomic.getDetailedMetrics().getNanosToWait(), 0))
          .plusMillis(1);
    }
    return limiter.getRateLimiterConfig().getLimitRefreshPeriod();
  }

  private BulkheadConfig bulkheadConfig() {
    return BulkheadConfig.custom()
        .maxConcurrentCalls(properties.maxConcurrentCallsPerMerchant())
        .maxWaitDuration(Duration.ZERO)
        .build();
  }

  private RateLimiter rateLimiter(String organisation, RateLimitHeaders headers) {
    RateLimiter limiter =
        rateLimiters.rateLimiter(
            NAME + "-" + organisation,
            () ->
                RateLimiterConfig.custom()
                    .limitForPeriod(properties.requestsPerMinute())
                    .limitRefreshPeriod(Duration.ofMinutes(1))
                    .timeoutDuration(Duration.ZERO)
                    .build());
    // GoCardless says how many a window it allows this token: follow it, never above ours.
    headers
        .limit()
        .filter(l -> l < properties.requestsPerMinute())
        .filter(l -> l != limiter.getRateLimiterConfig().getLimitForPeriod())
        .ifPresent(limiter::changeLimitForPeriod);
    return limiter;
  }

  private MerchantClient client(String merchantId) {
    MerchantClient held = clients.getIfPresent(merchantId);
    if (held != null) {
      return held;
    }
    MerchantToken token = tokens.fetch(merchantId);
    RateLimitHeaders rateLimit =
        rateLimitHeaders.get(
            token.organisationId(),
            o -> new RateLimitHeaders(clock, properties.defaultRateLimitReset()));
    var merchant = new MerchantClient(token, build(token.accessToken(), rateLimit), rateLimit);
    clients.put(merchantId, merchant);
    return merchant;
  }

  private GoCardlessClient build(String accessToken, RateLimitHeaders rateLimit) {
    OkHttpClient merchantHttp = http.newBuilder().addInterceptor(rateLimit.interceptor()).build();
    // The client's own retries are off (one attempt): resilience4j decides what is repeated.
    // Idempotency conflicts are errors, never a silent fetch of another resource.
    var httpClient =
        new HttpClient(accessToken, properties.baseUrl().toString(), merchantHttp, true, 1, 0);
    try {
      return CLIENT_CONSTRUCTOR.newInstance(httpClient);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("The GoCardless client could not be built", e);
    }
  }

  /**
   * The client's builder offers no way to add an OkHttp interceptor, and the {@code RateLimit-*}
   * headers of a 429 reach the caller only through one; so the client is built from its own {@link
   * HttpClient} (public) through its private constructor. Checked once at start-up.
   */
  private static Constructor<GoCardlessClient> clientConstructor() {
    try {
      Constructor<GoCardlessClient> constructor =
          GoCardlessClient.class.getDeclaredConstructor(HttpClient.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "This version of gocardless-pro has no GoCardlessClient(HttpClient) constructor", e);
    }
  }

  private static boolean worthRepeating(Throwable e) {
    return e instanceof GoCardlessFailure.Unavailable unavailable
        && !(unavailable.getCause() instanceof CallNotPermittedException)
        && !(unavailable.getCause() instanceof BulkheadFullException);
  }

  private record MerchantClient(
      MerchantToken token, GoCardlessClient client, RateLimitHeaders rateLimit) {}
}
