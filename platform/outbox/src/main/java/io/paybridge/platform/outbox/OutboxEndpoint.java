package io.paybridge.platform.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Actuator endpoint {@code outbox} for operators (runbook): the relay's slot check and the parked
 * records ({@code GET}), and the recovery actions ({@code POST /actuator/outbox/<action>}):
 *
 * <ul>
 *   <li>{@code acknowledge-slot} ({@code note}): accept a lost or replaced slot ({@link
 *       SlotRecovery#acknowledge}); answers the range to re-publish;
 *   <li>{@code republish} ({@code from}, {@code to}, ISO-8601 instants): publish the kept outbox
 *       rows created in {@code [from, to)} again, same ids ({@link OutboxRepublisher#republish});
 *   <li>{@code resend-parked} ({@code id}, {@code note}): send a parked record once its cause is
 *       fixed;
 *   <li>{@code discard-parked} ({@code id}, {@code note}): give a parked record up.
 * </ul>
 *
 * <p>Not exposed over HTTP unless the service adds {@code outbox} to {@code
 * management.endpoints.web.exposure.include}; expose it on an internal management port only.
 */
@Endpoint(id = "outbox")
public class OutboxEndpoint {

  private final SlotRecovery slots;
  private final OutboxRepublisher republisher;

  OutboxEndpoint(SlotRecovery slots, OutboxRepublisher republisher) {
    this.slots = slots;
    this.republisher = republisher;
  }

  @ReadOperation
  public Map<String, Object> status() throws Exception {
    var parked = republisher.parked();
    var status = new LinkedHashMap<String, Object>();
    status.put("slot", slots.status());
    status.put("parkedOpen", parked.open());
    status.put("parked", parked.list(false, 50));
    return status;
  }

  /**
   * Runs an action. Over HTTP: 400 for a request that names no valid action or lacks a parameter,
   * 409 when the action does not apply (nothing to acknowledge), with {@code error} in the body.
   */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> act(
      @Selector String action,
      @Nullable String from,
      @Nullable String to,
      @Nullable Long id,
      @Nullable String note)
      throws Exception {
    try {
      return new WebEndpointResponse<>(run(action, from, to, id, note));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      return new WebEndpointResponse<>(
          Map.of("error", String.valueOf(e.getMessage())), WebEndpointResponse.STATUS_BAD_REQUEST);
    } catch (IllegalStateException e) {
      return new WebEndpointResponse<>(Map.of("error", String.valueOf(e.getMessage())), 409);
    }
  }

  private Map<String, Object> run(String action, String from, String to, Long id, String note)
      throws Exception {
    return switch (action) {
      case "acknowledge-slot" -> slots.acknowledge(note);
      case "republish" -> {
        if (from == null || to == null) {
          throw new IllegalArgumentException("republish needs 'from' and 'to' (ISO-8601 instants)");
        }
        var result = republisher.republish(Instant.parse(from), Instant.parse(to));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("records", result.records());
        answer.put("byTopic", result.byTopic());
        answer.put("firstCreatedAt", text(result.firstCreatedAt()));
        answer.put("lastCreatedAt", text(result.lastCreatedAt()));
        yield answer;
      }
      case "resend-parked" -> Map.of("resent", republisher.resendParked(required(id), note));
      case "discard-parked" -> Map.of("discarded", republisher.discardParked(required(id), note));
      default ->
          throw new IllegalArgumentException(
              "Unknown action "
                  + action
                  + ": acknowledge-slot, republish, resend-parked or discard-parked");
    };
  }

  private static long required(Long id) {
    if (id == null) {
      throw new IllegalArgumentException("This action needs the parked record's 'id'");
    }
    return id;
  }

  private static String text(Instant time) {
    return time == null ? null : time.toString();
  }
}
