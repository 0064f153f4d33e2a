package io.paybridge.oauth.merchant;

import io.paybridge.platform.events.merchants.MerchantConnectionEvent;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantConnected;
import io.paybridge.platform.events.merchants.MerchantConnectionEvent.MerchantDisconnected;
import io.paybridge.platform.operations.audit.AuditLog;
import io.paybridge.platform.outbox.OutboxWriter;
import java.util.LinkedHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends {@link MerchantConnectionEvent}s to the outbox, in the caller's transaction. Topic, key,
 * type and headers are the contract's ({@code platform/events}); the JSON is this service's
 * mapper's rendering of the record, pinned by golden files. Connections and disconnections are
 * audited in the same transaction ({@code merchant.connected}, {@code merchant.disconnected}).
 */
@Component
class MerchantEvents {

  private final OutboxWriter outbox;
  private final ObjectMapper mapper;
  private final AuditLog audit;

  MerchantEvents(OutboxWriter outbox, ObjectMapper mapper, AuditLog audit) {
    this.outbox = outbox;
    this.mapper = mapper;
    this.audit = audit;
  }

  void publish(MerchantConnectionEvent event) {
    outbox.append(event.toOutboxEvent(mapper.writeValueAsString(event)));
    switch (event) {
      case MerchantConnected connected -> {
        var detail = new LinkedHashMap<String, Object>();
        detail.put("team", connected.team());
        detail.put("organisationId", connected.organisationId());
        detail.put("creditorId", connected.creditorId());
        audit.record("merchant.connected", connected.merchantId(), detail);
      }
      case MerchantDisconnected disconnected -> {
        var detail = new LinkedHashMap<String, Object>();
        detail.put("team", disconnected.team());
        detail.put("organisationId", disconnected.organisationId());
        detail.put("reason", disconnected.reason());
        audit.record("merchant.disconnected", disconnected.merchantId(), detail);
      }
      default -> {}
    }
  }
}
