package io.paybridge.notification.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What the delivery feature needs of endpoints: who subscribes to a team's facts, where a delivery
 * goes, the keys that sign it, and the endpoint's health. Calls join the caller's transaction.
 */
@Component
public class EndpointDirectory {

  private final EndpointRepository endpoints;
  private final SecretCipher cipher;
  private final Clock clock;

  EndpointDirectory(EndpointRepository endpoints, SecretCipher cipher, Clock clock) {
    this.endpoints = endpoints;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** The team's enabled endpoints. */
  public List<Subscriber> subscribersOf(String team) {
    return endpoints.enabledOfTeam(team).stream()
        .map(
            row ->
                new Subscriber(
                    row.id().toString(), row.kind(), new EventTypeFilter(row.eventTypes())))
        .toList();
  }

  /** The team's endpoint {@code id}, or empty when it is not the team's (or does not exist). */
  public Optional<EndpointTarget> ofTeam(String team, String id) {
    try {
      return endpoints.find(UUID.fromString(id), team).map(EndpointRepository.Row::target);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public Optional<EndpointTarget> target(String id) {
    return endpoints.find(UUID.fromString(id)).map(EndpointRepository.Row::target);
  }

  /**
   * The raw HMAC keys that sign a delivery now, newest first: one, or several while a rotation's
   * overlap lasts.
   */
  public List<byte[]> signingKeys(String endpointId) {
    var keys = new ArrayList<byte[]>();
    for (var secret : endpoints.signingSecrets(UUID.fromString(endpointId), clock.instant())) {
      keys.add(cipher.decrypt(secret.keyId(), secret.ciphertext(), endpointId));
    }
    return keys;
  }

  /** The endpoints of {@code ids} that exist, by id: one query for a batch of deliveries. */
  public java.util.Map<String, EndpointTarget> targets(java.util.Collection<String> ids) {
    var targets = new java.util.HashMap<String, EndpointTarget>();
    for (var row : endpoints.findAll(ids.stream().map(UUID::fromString).toList())) {
      targets.put(row.id().toString(), row.target());
    }
    return targets;
  }

  /**
   * The signing keys of several endpoints now ({@link #signingKeys(String)} for each), by endpoint
   * id: one query for a batch of deliveries.
   */
  public java.util.Map<String, List<byte[]>> signingKeys(java.util.Collection<String> ids) {
    var keys = new java.util.HashMap<String, List<byte[]>>();
    for (var secret :
        endpoints.signingSecrets(ids.stream().map(UUID::fromString).toList(), clock.instant())) {
      String id = secret.endpoint().toString();
      keys.computeIfAbsent(id, k -> new ArrayList<>())
          .add(cipher.decrypt(secret.secret().keyId(), secret.secret().ciphertext(), id));
    }
    return keys;
  }

  /** Records a failed attempt; returns since when the endpoint has been failing. */
  public Instant markFailing(String endpointId, Instant at) {
    return endpoints.markFailing(UUID.fromString(endpointId), at);
  }

  public void markHealthy(String endpointId) {
    endpoints.markHealthy(UUID.fromString(endpointId));
  }

  /** Disables an enabled endpoint; false when it already was (the team is told once). */
  public boolean disable(String endpointId, String reason, Instant at) {
    return endpoints.disable(UUID.fromString(endpointId), reason, at);
  }
}
