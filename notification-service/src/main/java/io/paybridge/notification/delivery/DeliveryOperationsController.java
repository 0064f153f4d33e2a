package io.paybridge.notification.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view across teams: deliveries by status (dead ones to look at), one delivery's attempt
 * log, and replays by time range ({@code operations:read} to read, {@code operations:write}, or the
 * older {@code notifications:replay}, to replay).
 */
@RestController
class DeliveryOperationsController {

  private final DeliveryService deliveries;

  DeliveryOperationsController(DeliveryService deliveries) {
    this.deliveries = deliveries;
  }

  @GetMapping("/operations/deliveries")
  List<DeliveryView> list(
      @RequestParam(defaultValue = "dead") String status,
      @RequestParam(required = false) String endpointId,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(required = false) Integer limit) {
    return deliveries.list(null, endpointId, status, from, to, limit);
  }

  @GetMapping("/operations/deliveries/{id}")
  DeliveryView get(@PathVariable String id) {
    return deliveries.get(null, id);
  }

  @PostMapping("/operations/deliveries/{id}/replay")
  ResponseEntity<DeliveryView> replay(@PathVariable String id) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.replay(null, id));
  }

  @PostMapping("/operations/deliveries/replay")
  ResponseEntity<Map<String, Integer>> replayRange(@RequestBody ReplayRequest request) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(Map.of("replayed", deliveries.replayRange(null, request)));
  }
}
