package io.paybridge.notification.endpoint;

import io.paybridge.notification.web.Teams;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A team's subscriptions: webhook URLs and email addresses, and the facts each one wants. */
@RestController
@RequestMapping("/notifications/endpoints")
class EndpointController {

  private final EndpointService endpoints;
  private final Teams teams;

  EndpointController(EndpointService endpoints, Teams teams) {
    this.endpoints = endpoints;
    this.teams = teams;
  }

  /** 201 with the endpoint and, for a webhook, its signing secret: shown this once. */
  @PostMapping
  ResponseEntity<CreatedEndpoint> create(
      @AuthenticationPrincipal Jwt jwt, @RequestBody EndpointRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED).body(endpoints.create(teams.of(jwt), request));
  }

  @GetMapping
  List<EndpointView> list(@AuthenticationPrincipal Jwt jwt) {
    return endpoints.list(teams.of(jwt));
  }

  @GetMapping("/{id}")
  EndpointView get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return endpoints.get(teams.of(jwt), id);
  }

  @PostMapping("/{id}/enable")
  EndpointView enable(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return endpoints.enable(teams.of(jwt), id);
  }

  @PostMapping("/{id}/disable")
  EndpointView disable(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    return endpoints.disable(teams.of(jwt), id);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
    endpoints.delete(teams.of(jwt), id);
    return ResponseEntity.noContent().build();
  }

  /** A new signing secret, shown this once; the previous one keeps signing for the overlap. */
  @PostMapping("/{id}/secret/rotate")
  RotatedSecret rotate(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable String id,
      @RequestBody(required = false) RotationRequest request) {
    return endpoints.rotate(teams.of(jwt), id, request);
  }
}
