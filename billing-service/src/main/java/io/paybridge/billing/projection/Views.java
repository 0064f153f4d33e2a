package io.paybridge.billing.projection;

import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.InstalmentSchedule;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.resources.Refund;
import com.gocardless.resources.Subscription;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's view of GoCardless's resources: camelCase, amounts in minor units with their currency,
 * PayBridge's merchant id instead of GoCardless's organisation, and the payer verification fields.
 */
@Component
public class Views {

  private final ObjectMapper mapper;

  Views(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public Projected billingRequest(
      BillingRequest br, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", br.getId());
    view.put("merchantId", merchantId);
    String status = wire(br.getStatus());
    view.put("status", status);
    if (br.getPaymentRequest() != null) {
      var pr = br.getPaymentRequest();
      ObjectNode payment = view.putObject("paymentRequest");
      if (pr.getAmount() != null) {
        payment.put("amount", pr.getAmount().longValue());
      }
      payment.put("currency", pr.getCurrency());
      payment.put("description", pr.getDescription());
      payment.put("reference", pr.getReference());
      payment.put("scheme", pr.getScheme());
      if (pr.getRetryIfPossible() != null) {
        payment.put("retryIfPossible", pr.getRetryIfPossible());
      }
    }
    if (br.getMandateRequest() != null) {
      var mr = br.getMandateRequest();
      ObjectNode mandate = view.putObject("mandateRequest");
      mandate.put("scheme", mr.getScheme());
      mandate.put("currency", mr.getCurrency());
      mandate.put("verify", wire(mr.getVerify()));
      mandate.put("description", mr.getDescription());
    }
    putMetadata(view, br.getMetadata());
    var links = br.getLinks();
    view.put("customerId", links == null ? null : links.getCustomer());
    view.put("mandateId", links == null ? null : links.getMandateRequestMandate());
    view.put("paymentId", links == null ? null : links.getPaymentRequestPayment());
    view.put("createdAt", br.getCreatedAt());
    return new Projected(
        Kind.BILLING_REQUEST,
        br.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(br.getCreatedAt()),
        null);
  }

  public Projected mandate(Mandate m, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", m.getId());
    view.put("merchantId", merchantId);
    String status = wire(m.getStatus());
    view.put("status", status);
    view.put("scheme", m.getScheme());
    view.put("reference", m.getReference());
    view.put("nextPossibleChargeDate", m.getNextPossibleChargeDate());
    // Payer verification: when GoCardless verified the payer (Verified Mandates), else null.
    view.put("verifiedAt", m.getVerifiedAt());
    view.put("customerId", m.getLinks() == null ? null : m.getLinks().getCustomer());
    view.put("newMandateId", m.getLinks() == null ? null : m.getLinks().getNewMandate());
    putMetadata(view, m.getMetadata());
    view.put("createdAt", m.getCreatedAt());
    return new Projected(
        Kind.MANDATE,
        m.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(m.getCreatedAt()),
        null);
  }

  public Projected payment(Payment p, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", p.getId());
    view.put("merchantId", merchantId);
    String status = wire(p.getStatus());
    view.put("status", status);
    view.put("mandateId", p.getLinks() == null ? null : p.getLinks().getMandate());
    view.put("subscriptionId", p.getLinks() == null ? null : p.getLinks().getSubscription());
    view.put(
        "instalmentScheduleId", p.getLinks() == null ? null : p.getLinks().getInstalmentSchedule());
    view.put("amount", p.getAmount() == null ? 0L : p.getAmount().longValue());
    view.put("currency", p.getCurrency() == null ? null : p.getCurrency().name());
    view.put(
        "amountRefunded", p.getAmountRefunded() == null ? 0L : p.getAmountRefunded().longValue());
    view.put("chargeDate", p.getChargeDate());
    view.put("description", p.getDescription());
    view.put("reference", p.getReference());
    view.put("scheme", p.getScheme());
    if (p.getRetryIfPossible() != null) {
      view.put("retryIfPossible", p.getRetryIfPossible());
    }
    putMetadata(view, p.getMetadata());
    view.put("createdAt", p.getCreatedAt());
    return new Projected(
        Kind.PAYMENT,
        p.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(p.getCreatedAt()),
        null);
  }

  public Projected refund(Refund r, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", r.getId());
    view.put("merchantId", merchantId);
    String status = wire(r.getStatus());
    view.put("status", status);
    view.put("paymentId", r.getLinks() == null ? null : r.getLinks().getPayment());
    view.put("amount", r.getAmount() == null ? 0L : r.getAmount().longValue());
    view.put("currency", r.getCurrency());
    view.put("reference", r.getReference());
    putMetadata(view, r.getMetadata());
    view.put("createdAt", r.getCreatedAt());
    return new Projected(
        Kind.REFUND,
        r.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(r.getCreatedAt()),
        null);
  }

  public Projected subscription(
      Subscription sub, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", sub.getId());
    view.put("merchantId", merchantId);
    String status = wire(sub.getStatus());
    view.put("status", status);
    view.put("mandateId", sub.getLinks() == null ? null : sub.getLinks().getMandate());
    view.put("amount", sub.getAmount() == null ? 0L : sub.getAmount().longValue());
    view.put("currency", sub.getCurrency());
    view.put("name", sub.getName());
    view.put("intervalUnit", wire(sub.getIntervalUnit()));
    if (sub.getInterval() != null) {
      view.put("interval", sub.getInterval());
    }
    if (sub.getDayOfMonth() != null) {
      view.put("dayOfMonth", sub.getDayOfMonth());
    }
    if (sub.getCount() != null) {
      view.put("count", sub.getCount());
    }
    view.put("startDate", sub.getStartDate());
    view.put("paymentReference", sub.getPaymentReference());
    var upcoming = view.putArray("upcomingPayments");
    if (sub.getUpcomingPayments() != null) {
      sub.getUpcomingPayments()
          .forEach(
              u -> {
                ObjectNode next = upcoming.addObject();
                next.put("chargeDate", u.getChargeDate());
                next.put("amount", u.getAmount() == null ? 0L : u.getAmount().longValue());
              });
    }
    putMetadata(view, sub.getMetadata());
    view.put("createdAt", sub.getCreatedAt());
    return new Projected(
        Kind.SUBSCRIPTION,
        sub.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(sub.getCreatedAt()),
        null);
  }

  public Projected instalmentSchedule(
      InstalmentSchedule schedule, String merchantId, String team, String organisationId) {
    ObjectNode view = mapper.createObjectNode();
    view.put("id", schedule.getId());
    view.put("merchantId", merchantId);
    String status = wire(schedule.getStatus());
    view.put("status", status);
    view.put("mandateId", schedule.getLinks() == null ? null : schedule.getLinks().getMandate());
    view.put("name", schedule.getName());
    view.put(
        "totalAmount",
        schedule.getTotalAmount() == null ? 0L : schedule.getTotalAmount().longValue());
    view.put("currency", schedule.getCurrency() == null ? null : schedule.getCurrency().name());
    var payments = view.putArray("paymentIds");
    if (schedule.getLinks() != null && schedule.getLinks().getPayments() != null) {
      schedule.getLinks().getPayments().forEach(payments::add);
    }
    putMetadata(view, schedule.getMetadata());
    view.put("createdAt", schedule.getCreatedAt());
    return new Projected(
        Kind.INSTALMENT_SCHEDULE,
        schedule.getId(),
        merchantId,
        team,
        organisationId,
        status,
        view,
        instant(schedule.getCreatedAt()),
        null);
  }

  private void putMetadata(ObjectNode view, Map<String, String> metadata) {
    ObjectNode node = view.putObject("metadata");
    if (metadata != null) {
      metadata.forEach(node::put);
    }
  }

  /**
   * GoCardless's wire value of one of the client's enums ({@code PENDING_SUBMISSION} → {@code
   * pending_submission}).
   */
  static String wire(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }

  public static Instant instant(String value) {
    return value == null ? Instant.EPOCH : OffsetDateTime.parse(value).toInstant();
  }
}
