package io.paybridge.notification.delivery;

import io.paybridge.notification.web.Teams;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A team's deliveries: test pings, the attempt log, replays. */
@RestController
class DeliveryController {

  private final DeliveryService deliveries;
  private final Teams teams;

  DeliveryController(DeliveryService deliveries, Teams teams) {
    this.deliveries = deliveries;
    this.teams = teams;
  }

  /** 202: a test delivery ({@code EndpointTest}) to the endpoint, attempted like any other. */
  @PostMapping("/notifications/endpoints/{id}/test")
  ResponseEntity<DeliveryView> ping(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.ping(teams.of(jwt), id));
  }

  @GetMapping("/notifications/deliveries")
  List<DeliveryView> list(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(required = false) String endpointId,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(required = false) Integer limit) {
    return deliveries.list(teams.of(jwt), endpointId, status, from, to, limit);
  }

  /** The delivery with its attempt log. */
  @GetMapping("/notifications/deliveries/{id}")
  DeliveryView get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return deliveries.get(teams.of(jwt), id);
  }

  /** 202: a finished delivery is due again, same webhook-id, a fresh retry schedule. */
  @PostMapping("/notifications/deliveries/{id}/replay")
  ResponseEntity<DeliveryView> replay(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.replay(teams.of(jwt), id));
  }

  /** 202 with {@code replayed}: every matching delivery of the team created in the range. */
  @PostMapping("/notifications/deliveries/replay")
  ResponseEntity<Map<String, Integer>> replayRange(
      @AuthenticationPrincipal Jwt jwt, @RequestBody ReplayRequest request) {
    String team = teams.of(jwt);
    var own =
        new ReplayRequest(
            request.from(), request.to(), request.status(), request.endpointId(), null);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(Map.of("replayed", deliveries.replayRange(team, own)));
  }
}
