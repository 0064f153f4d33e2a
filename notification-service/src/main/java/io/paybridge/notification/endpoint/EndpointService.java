package io.paybridge.notification.endpoint;

import io.paybridge.platform.operations.audit.AuditLog;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A team's endpoints: create, read, enable, disable, delete, and rotate a webhook's signing secret.
 * Every method takes the caller's team; an endpoint of another team is {@link
 * EndpointNotFoundException}, exactly as one that does not exist. Every change is audited in its
 * transaction ({@code notification-endpoint.*}; never the secret).
 */
@Service
public class EndpointService {

  /** Standard Webhooks' secret prefix; the rest is the Base64 of the HMAC key. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final int SECRET_BYTES = 24;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

  private final EndpointRepository endpoints;
  private final SecretCipher cipher;
  private final EndpointProperties properties;
  private final Clock clock;
  private final AuditLog audit;
  private final SecureRandom random = new SecureRandom();

  EndpointService(
      EndpointRepository endpoints,
      SecretCipher cipher,
      EndpointProperties properties,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.endpoints = endpoints;
    this.cipher = cipher;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  public CreatedEndpoint create(String team, EndpointRequest request) {
    var filter = new EventTypeFilter(request.eventTypes());
    boolean webhook = request.url() != null;
    if (webhook == (request.email() != null)) {
      throw new InvalidEndpointException("Give exactly one of url (a webhook) and email");
    }
    String description = request.description();
    if (description != null && description.length() > 200) {
      throw new InvalidEndpointException("description may have at most 200 characters");
    }
    var row =
        new EndpointRepository.Row(
            UUID.randomUUID(),
            team,
            webhook ? EndpointKind.WEBHOOK : EndpointKind.EMAIL,
            webhook ? checkedUrl(request.url()) : null,
            webhook ? null : checkedEmail(request.email()),
            filter.entries(),
            description,
            true,
            null,
            null,
            null,
            clock.instant());
    endpoints.insert(row);
    audit.record(
        "notification-endpoint.created",
        row.id().toString(),
        Map.of("team", team, "kind", row.kind().name(), "eventTypes", filter.entries()));
    String secret = webhook ? newSecret(row.id(), 1) : null;
    return new CreatedEndpoint(row.view(), secret);
  }

  public List<EndpointView> list(String team) {
    return endpoints.ofTeam(team).stream().map(EndpointRepository.Row::view).toList();
  }

  public EndpointView get(String team, String id) {
    return row(team, id).view();
  }

  @Transactional
  public EndpointView enable(String team, String id) {
    UUID uuid = row(team, id).id();
    endpoints.enable(uuid, team);
    audit.record("notification-endpoint.enabled", uuid.toString(), Map.of("team", team));
    return get(team, id);
  }

  @Transactional
  public EndpointView disable(String team, String id) {
    UUID uuid = row(team, id).id();
    endpoints.disable(uuid, "by_team", clock.instant());
    audit.record("notification-endpoint.disabled", uuid.toString(), Map.of("team", team));
    return get(team, id);
  }

  @Transactional
  public void delete(String team, String id) {
    if (!endpoints.delete(parse(id), team)) {
      throw new EndpointNotFoundException(id);
    }
    audit.record("notification-endpoint.deleted", id, Map.of("team", team));
  }

  /**
   * A new signing secret; the previous ones keep signing for the overlap, then stop. Deliveries
   * during the overlap carry one signature per secret.
   */
  @Transactional
  public RotatedSecret rotate(String team, String id, RotationRequest request) {
    var row = row(team, id);
    if (row.kind() != EndpointKind.WEBHOOK) {
      throw new EndpointNotWebhookException(id);
    }
    Duration overlap =
        request == null || request.overlapSeconds() == null
            ? properties.rotationOverlap()
            : Duration.ofSeconds(request.overlapSeconds());
    if (overlap.isNegative() || overlap.compareTo(properties.maxRotationOverlap()) > 0) {
      throw new InvalidEndpointException(
          "overlapSeconds must be between 0 and " + properties.maxRotationOverlap().toSeconds());
    }
    Instant expires = clock.instant().plus(overlap);
    int version = endpoints.nextSecretVersion(row.id());
    endpoints.expireSecrets(row.id(), expires);
    audit.record(
        "notification-endpoint.signing-key-rotated",
        row.id().toString(),
        Map.of("team", team, "version", version, "previousValidUntil", expires.toString()));
    return new RotatedSecret(newSecret(row.id(), version), expires);
  }

  private String newSecret(UUID endpoint, int version) {
    byte[] key = new byte[SECRET_BYTES];
    random.nextBytes(key);
    endpoints.insertSecret(
        endpoint,
        version,
        cipher.activeKeyId(),
        cipher.encrypt(key, endpoint.toString()),
        clock.instant());
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  private EndpointRepository.Row row(String team, String id) {
    return endpoints.find(parse(id), team).orElseThrow(() -> new EndpointNotFoundException(id));
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new EndpointNotFoundException(id);
    }
  }

  private String checkedEmail(String email) {
    if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
      throw new InvalidEndpointException("email is not an email address");
    }
    return email;
  }

  /**
   * An absolute {@code https} URL with a host (or {@code http} where allowed), without user info
   * (credentials in a URL end up in logs) or fragment. Where its host points is checked at every
   * attempt, not here: DNS can change after creation.
   */
  String checkedUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidEndpointException("url is not a URL");
    }
    if (url.length() > 2048) {
      throw new InvalidEndpointException("url may have at most 2048 characters");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("https") && !(scheme.equals("http") && properties.allowHttp())) {
      throw new InvalidEndpointException(
          properties.allowHttp() ? "url must be http or https" : "url must be https");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new InvalidEndpointException("url has no host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new InvalidEndpointException("url may not have user info or a fragment");
    }
    return url;
  }
}
