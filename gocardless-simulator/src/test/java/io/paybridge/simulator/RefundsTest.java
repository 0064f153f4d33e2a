package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.resources.Event;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.resources.Refund;
import com.gocardless.services.PaymentService.PaymentCreateRequest.Currency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refunds through the official client (docs/gocardless/API.md §4.7, §1.7): only of confirmed or
 * paid-out payments, never more in total than the payment's amount, {@code
 * total_amount_confirmation} checked, at most five per payment, idempotent, and their events.
 */
@ExtendWith(TestSimulator.class)
class RefundsTest {
  private static GoCardlessClient client;
  private static Mandate mandate;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("Refunds Ltd", "successful").accessToken());
    mandate = Fixtures.activeMandate(client, "Refunded");
  }

  private static Payment payment(int amount) {
    return client
        .payments()
        .create()
        .withAmount(amount)
        .withCurrency(Currency.GBP)
        .withLinksMandate(mandate.getId())
        .execute();
  }

  private static Payment paidOut(int amount) {
    Payment p = payment(amount);
    client.scenarioSimulators().run("payment_paid_out").withLinksResource(p.getId()).execute();
    return p;
  }

  private static String reason(InvalidStateException e) {
    return e.getErrors().getFirst().getReason();
  }

  @Test
  void refundsNeverExceedThePaymentAmount() {
    Payment p = paidOut(1000);
    Refund first =
        client
            .refunds()
            .create()
            .withAmount(400)
            .withTotalAmountConfirmation(400)
            .withReference("PARTIAL")
            .withLinksPayment(p.getId())
            .withMetadata("reason", "damaged")
            .execute();
    assertThat(first.getId()).startsWith("RF");
    assertThat(first.getAmount()).isEqualTo(400);
    assertThat(first.getCurrency()).isEqualTo("GBP");
    assertThat(first.getStatus()).isEqualTo(Refund.Status.PENDING_SUBMISSION);
    assertThat(first.getLinks().getPayment()).isEqualTo(p.getId());
    assertThat(first.getLinks().getMandate()).isEqualTo(mandate.getId());
    assertThat(client.payments().get(p.getId()).execute().getAmountRefunded()).isEqualTo(400);

    InvalidStateException over =
        assertThrows(
            InvalidStateException.class,
            () -> client.refunds().create().withAmount(601).withLinksPayment(p.getId()).execute());
    assertThat(reason(over)).isEqualTo("available_refund_amount_insufficient");
    InvalidStateException confirmation =
        assertThrows(
            InvalidStateException.class,
            () ->
                client
                    .refunds()
                    .create()
                    .withAmount(100)
                    .withTotalAmountConfirmation(100)
                    .withLinksPayment(p.getId())
                    .execute());
    assertThat(reason(confirmation)).isEqualTo("total_amount_confirmation_invalid");

    Refund rest =
        client
            .refunds()
            .create()
            .withAmount(600)
            .withTotalAmountConfirmation(1000)
            .withLinksPayment(p.getId())
            .execute();
    assertThat(client.payments().get(p.getId()).execute().getAmountRefunded()).isEqualTo(1000);
    InvalidStateException none =
        assertThrows(
            InvalidStateException.class,
            () -> client.refunds().create().withAmount(1).withLinksPayment(p.getId()).execute());
    assertThat(reason(none)).isEqualTo("available_refund_amount_insufficient");
    assertThat(client.refunds().list().withPayment(p.getId()).execute().getItems())
        .extracting(Refund::getId)
        .containsExactly(rest.getId(), first.getId());

    SIM.clock().advance(Duration.ofDays(4));
    assertThat(client.refunds().get(first.getId()).execute().getStatus())
        .isEqualTo(Refund.Status.PAID);
    List<Event> events = new ArrayList<>();
    client.events().all().withRefund(first.getId()).execute().forEach(events::add);
    assertThat(events.reversed())
        .extracting(
            e -> e.getResourceType() + "/" + e.getAction() + "/" + e.getDetails().getCause())
        .containsExactly("REFUNDS/created/refund_created", "REFUNDS/paid/refund_paid");
    assertThat(events).allSatisfy(e -> assertThat(e.getLinks().getPayment()).isEqualTo(p.getId()));
    assertThat(events.getLast().getMetadata()).containsEntry("reason", "damaged");
    assertThat(events.getLast().getResourceMetadata()).containsEntry("reason", "damaged");
  }

  @Test
  void onlyCollectedPaymentsCanBeRefunded() {
    Payment pending = payment(500);
    InvalidStateException e =
        assertThrows(
            InvalidStateException.class,
            () ->
                client
                    .refunds()
                    .create()
                    .withAmount(100)
                    .withLinksPayment(pending.getId())
                    .execute());
    assertThat(reason(e)).isEqualTo("refund_payment_invalid_state");
    assertThat(client.payments().get(pending.getId()).execute().getAmountRefunded()).isZero();
  }

  @Test
  void atMostFiveRefundsPerPayment() {
    Payment p = paidOut(1000);
    for (int i = 0; i < 5; i++) {
      client.refunds().create().withAmount(10).withLinksPayment(p.getId()).execute();
    }
    InvalidStateException e =
        assertThrows(
            InvalidStateException.class,
            () -> client.refunds().create().withAmount(10).withLinksPayment(p.getId()).execute());
    assertThat(reason(e)).isEqualTo("number_of_refunds_exceeded");
    assertThat(client.payments().get(p.getId()).execute().getAmountRefunded()).isEqualTo(50);
  }

  @Test
  void sameIdempotencyKeyRefundsOnce() {
    Payment p = paidOut(1000);
    Refund once =
        client
            .refunds()
            .create()
            .withAmount(300)
            .withLinksPayment(p.getId())
            .withIdempotencyKey("refund-once")
            .execute();
    Refund again =
        client
            .refunds()
            .create()
            .withAmount(300)
            .withLinksPayment(p.getId())
            .withIdempotencyKey("refund-once")
            .execute();
    assertThat(again.getId()).isEqualTo(once.getId());
    assertThat(client.payments().get(p.getId()).execute().getAmountRefunded()).isEqualTo(300);
  }

  @Test
  void metadataUpdateAndScenarios() {
    Payment p = paidOut(800);
    Refund r = client.refunds().create().withAmount(800).withLinksPayment(p.getId()).execute();
    assertThat(client.refunds().update(r.getId()).withMetadata("k", "v").execute().getMetadata())
        .containsEntry("k", "v");
    client.scenarioSimulators().run("refund_settled").withLinksResource(r.getId()).execute();
    assertThat(client.refunds().get(r.getId()).execute().getStatus()).isEqualTo(Refund.Status.PAID);
    assertThat(client.events().list().withRefund(r.getId()).execute().getItems())
        .extracting(Event::getAction)
        .containsExactly("refund_settled", "paid", "created");
  }
}
