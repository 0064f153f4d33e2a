package io.paybridge.gateway.operations;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The services whose operator endpoints the gateway joins ({@code paybridge.gateway.operations.*}):
 * {@code GET /operations/timeline}, {@code /operations/relays}, {@code /operations/dead-letters},
 * {@code /operations/audit}, the replays, and webhook-ingest-service's rejections and quarantine.
 * Every one is asked the same way: at its {@code url}, with the caller's token (or the service's
 * configured one), a service that fails, answers late or refuses listed in {@code unavailable}.
 *
 * @param services each service's name and base URL, in the order answers are listed
 * @param timeout how long each service may take to answer before it is listed in {@code
 *     unavailable} (default 3 s)
 * @param followLimit how many event ids found in the first answers the gateway asks about again, so
 *     that a fact's consumers show in a GoCardless event's timeline (default 49: the services take
 *     at most 50 ids in one question)
 * @param deadLetterServices the services among {@code services} that serve their consumers' dead
 *     letters ({@code GET /operations/dead-letters}, {@code POST
 *     /operations/dead-letters/replays}); webhook-ingest-service's quarantine has paths of its own
 */
@ConfigurationProperties("paybridge.gateway.operations")
public record OperationsProperties(
    List<Service> services,
    @DefaultValue("3s") Duration timeout,
    @DefaultValue("49") int followLimit,
    @DefaultValue({"oauth-service", "billing-service", "notification-service"})
        List<String> deadLetterServices) {

  public OperationsProperties {
    services = services == null ? List.of() : List.copyOf(services);
    deadLetterServices = deadLetterServices == null ? List.of() : List.copyOf(deadLetterServices);
    if (followLimit < 0 || followLimit > 49) {
      throw new IllegalArgumentException(
          "paybridge.gateway.operations.follow-limit must be within 0..49");
    }
  }

  /** The configured service named {@code name}, if any. */
  public java.util.Optional<Service> service(String name) {
    return services.stream().filter(service -> service.name().equals(name)).findFirst();
  }

  /**
   * @param name the service's name, as listed in {@code unavailable}
   * @param url its base URL (its public port, where {@code /operations/**} answers)
   * @param token a bearer token the gateway presents to this service instead of the caller's, for a
   *     service that does not accept the platform's JWTs (webhook-ingest-service's operator token,
   *     from the secret store: {@code PAYBRIDGE_OPERATIONS_WEBHOOK_INGEST_TOKEN}); empty: the
   *     caller's token is passed on
   */
  public record Service(String name, URI url, String token) {

    public Service {
      if (name == null || name.isBlank() || url == null) {
        throw new IllegalArgumentException(
            "paybridge.gateway.operations.services: every service needs a name and a url");
      }
      token = token == null || token.isBlank() ? null : token;
    }

    @Override
    public String toString() {
      return "Service[name="
          + name
          + ", url="
          + url
          + ", token="
          + (token == null ? "none" : "***")
          + "]";
    }
  }
}
