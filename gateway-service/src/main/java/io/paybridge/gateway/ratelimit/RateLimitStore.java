package io.paybridge.gateway.ratelimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The token buckets, in Redis: one atomic script call per request takes a token from the caller's
 * bucket for the route. The script is Spring Cloud Gateway's own token bucket ({@code
 * META-INF/scripts/request_rate_limiter.lua}, shipped in its jar), run with Redis's clock, so that
 * replicas with different clocks still share one bucket. Both keys of a bucket hash to one slot
 * (Redis Cluster).
 */
@Component
class RateLimitStore {

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final RedisScript<List<Long>> TOKEN_BUCKET =
      (RedisScript) RedisScript.of(script("META-INF/scripts/request_rate_limiter.lua"), List.class);

  private final ReactiveStringRedisTemplate redis;

  RateLimitStore(ReactiveStringRedisTemplate redis) {
    this.redis = redis;
  }

  /** The outcome of taking one token. */
  record Outcome(boolean allowed, long remaining) {}

  /**
   * Takes a token; the outcome is signalled on {@code request}'s own event loop (where the rest of
   * the request runs anyway), never on Lettuce's single I/O thread.
   */
  Mono<Outcome> take(
      String route, String caller, RateLimitProperties.Limit limit, ServerHttpRequest request) {
    String bucket = "paybridge.rate-limit.{" + route + ":" + caller + "}";
    List<String> keys = List.of(bucket + ".tokens", bucket + ".timestamp");
    return redis
        .execute(
            TOKEN_BUCKET,
            keys,
            List.of(
                Integer.toString(limit.replenishRate()),
                Integer.toString(limit.burstCapacity()),
                "", // no time from here: the script reads Redis's clock
                "1"))
        .next()
        // Lettuce answers on its single I/O thread: the rest of the request must not run there,
        // or every request of the gateway would queue behind it.
        .publishOn(eventLoopOf(request))
        .map(result -> new Outcome(result.get(0) == 1L, result.get(1)));
  }

  /**
   * The Netty event loop of the request's connection: the request goes on where it came from, with
   * one hand-over instead of two (via another pool, then back to Netty to send it on).
   */
  private static Scheduler eventLoopOf(ServerHttpRequest request) {
    Object connection = ServerHttpRequestDecorator.getNativeRequest(request);
    return connection instanceof Connection netty
        ? Schedulers.fromExecutor(netty.channel().eventLoop())
        : Schedulers.parallel();
  }

  private static String script(String path) {
    try (var in = new ClassPathResource(path).getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }
}
