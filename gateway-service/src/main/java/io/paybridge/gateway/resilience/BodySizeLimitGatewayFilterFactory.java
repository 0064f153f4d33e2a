package io.paybridge.gateway.resilience;

import io.paybridge.gateway.problem.RequestTooLargeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code BodySizeLimit=<size>} in a route's filters: a request whose {@code Content-Length} is over
 * the limit is refused with 413 before anything is passed on; a body without a length (chunked) is
 * counted as it streams through and cut off with 413 at the first byte over the limit, so a client
 * cannot get round the limit by leaving the length out. The body is otherwise passed on as it
 * comes, byte for byte.
 */
@Component
public class BodySizeLimitGatewayFilterFactory
    extends AbstractGatewayFilterFactory<BodySizeLimitGatewayFilterFactory.Config> {

  public BodySizeLimitGatewayFilterFactory() {
    super(Config.class);
  }

  /**
   * @param max the largest body accepted
   */
  public record Config(DataSize max) {}

  @Override
  public List<String> shortcutFieldOrder() {
    return List.of("max");
  }

  @Override
  public GatewayFilter apply(Config config) {
    long max = config.max().toBytes();
    return (exchange, chain) -> {
      var request = exchange.getRequest();
      long declared = request.getHeaders().getContentLength();
      if (declared > max) {
        return Mono.error(tooLarge(max));
      }
      if (declared >= 0) {
        // Netty reads no more than the declared length: nothing to count.
        return chain.filter(exchange);
      }
      var counted =
          new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
              var total = new AtomicLong();
              return super.getBody()
                  .handle(
                      (buffer, sink) -> {
                        if (total.addAndGet(buffer.readableByteCount()) > max) {
                          DataBufferUtils.release(buffer);
                          sink.error(tooLarge(max));
                        } else {
                          sink.next(buffer);
                        }
                      });
            }
          };
      return chain.filter(exchange.mutate().request(counted).build());
    };
  }

  private static RequestTooLargeException tooLarge(long max) {
    return new RequestTooLargeException(
        "The body is larger than this route accepts (" + max + " bytes)");
  }
}
