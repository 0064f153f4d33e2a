package io.paybridge.notification.delivery;

import io.paybridge.notification.endpoint.EndpointDirectory;
import io.paybridge.notification.endpoint.EndpointNotFoundException;
import io.paybridge.platform.operations.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Deliveries for teams and operators: the test ping, the attempt log, dead deliveries, replays.
 * {@code team} null means an operator's view across teams.
 */
@Service
class DeliveryService {

  static final String PING_TYPE = "EndpointTest";
  private static final Set<String> REPLAYABLE = Set.of("dead", "succeeded");
  private static final Duration MAX_RANGE = Duration.ofDays(31);

  private final DeliveryRepository deliveries;
  private final DeliveryPlanner planner;
  private final EndpointDirectory endpoints;
  private final DeliveryWakeUp wakeUp;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final AuditLog audit;

  DeliveryService(
      DeliveryRepository deliveries,
      DeliveryPlanner planner,
      EndpointDirectory endpoints,
      DeliveryWakeUp wakeUp,
      ObjectMapper mapper,
      Clock clock,
      AuditLog audit) {
    this.audit = audit;
    this.deliveries = deliveries;
    this.planner = planner;
    this.endpoints = endpoints;
    this.wakeUp = wakeUp;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** A test delivery ({@code EndpointTest}) to one of the team's endpoints, enabled or not. */
  @Transactional
  DeliveryView ping(String team, String endpointId) {
    var endpoint =
        endpoints
            .ofTeam(team, endpointId)
            .orElseThrow(() -> new EndpointNotFoundException(endpointId));
    String factId = "ping_" + UUID.randomUUID().toString().replace("-", "");
    Instant now = clock.instant();
    String data =
        mapper.writeValueAsString(
            Map.of("endpointId", endpoint.id(), "message", "Test delivery from PayBridge"));
    planner.create(
        new Fact(factId, "notifications.test", PING_TYPE, team, now, data, mapper.readTree(data)),
        List.of(endpoint.id()));
    return view(deliveries.findByFact(factId, endpoint.id()).orElseThrow(), null);
  }

  List<DeliveryView> list(
      String team, String endpointId, String status, Instant from, Instant to, Integer limit) {
    if (endpointId != null && !isUuid(endpointId)) {
      return List.of();
    }
    int max = limit == null ? 100 : Math.clamp(limit, 1, 1000);
    return deliveries.list(team, endpointId, status, from, to, max).stream()
        .map(row -> view(row, null))
        .toList();
  }

  DeliveryView get(String team, String id) {
    var row = find(team, id);
    return view(row, deliveries.attempts(row.id()));
  }

  @Transactional
  DeliveryView replay(String team, String id) {
    var row = find(team, id);
    boolean due = deliveries.replay(row.id(), team, clock.instant());
    var detail = new java.util.LinkedHashMap<String, Object>();
    detail.put("team", team);
    detail.put("due", due);
    audit.record("notification-delivery.replayed", id, detail);
    if (due) {
      wakeUp.wake();
    }
    return get(team, id);
  }

  @Transactional
  int replayRange(String team, ReplayRequest request) {
    if (request.from() == null || request.to() == null || !request.from().isBefore(request.to())) {
      throw new InvalidReplayException("from and to must be given, from before to");
    }
    if (Duration.between(request.from(), request.to()).compareTo(MAX_RANGE) > 0) {
      throw new InvalidReplayException("A replay covers at most " + MAX_RANGE.toDays() + " days");
    }
    String status = request.status() == null ? "dead" : request.status();
    if (!REPLAYABLE.contains(status)) {
      throw new InvalidReplayException("status must be dead or succeeded");
    }
    if (request.endpointId() != null && !isUuid(request.endpointId())) {
      throw new InvalidReplayException("endpointId is not an endpoint id");
    }
    int replayed =
        deliveries.replayRange(
            team != null ? team : request.team(),
            request.endpointId(),
            status,
            request.from(),
            request.to(),
            clock.instant());
    var detail = new java.util.LinkedHashMap<String, Object>();
    detail.put("team", team != null ? team : request.team());
    detail.put("endpointId", request.endpointId());
    detail.put("status", status);
    detail.put("from", request.from().toString());
    detail.put("to", request.to().toString());
    detail.put("count", replayed);
    audit.record("notification-deliveries.replayed", request.from() + "/" + request.to(), detail);
    if (replayed > 0) {
      wakeUp.wake();
    }
    return replayed;
  }

  private DeliveryRepository.Row find(String team, String id) {
    if (!isUuid(id)) {
      throw new DeliveryNotFoundException(id);
    }
    UUID uuid = UUID.fromString(id);
    var row = team == null ? deliveries.find(uuid) : deliveries.find(uuid, team);
    return row.orElseThrow(() -> new DeliveryNotFoundException(id));
  }

  private static boolean isUuid(String id) {
    try {
      UUID.fromString(id);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static DeliveryView view(
      DeliveryRepository.Row row, List<DeliveryRepository.Attempt> attempts) {
    return new DeliveryView(
        row.id().toString(),
        DeliveryWorker.webhookId(row.id()),
        row.endpointId(),
        row.team(),
        row.factId(),
        row.eventType(),
        row.status(),
        row.attempts(),
        row.nextAttemptAt(),
        row.createdAt(),
        row.completedAt(),
        attempts == null
            ? null
            : attempts.stream()
                .map(
                    a ->
                        new DeliveryView.AttemptView(
                            a.attempt(),
                            a.attemptedAt(),
                            a.outcome(),
                            a.statusCode(),
                            a.latencyMs(),
                            a.responseExcerpt(),
                            a.error()))
                .toList());
  }
}
