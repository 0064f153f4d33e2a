package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gocardless.GoCardlessClient;
import com.gocardless.errors.InvalidStateException;
import com.gocardless.errors.ValidationFailedException;
import com.gocardless.resources.BillingRequest;
import com.gocardless.resources.Event;
import com.gocardless.resources.Mandate;
import com.gocardless.resources.Payment;
import com.gocardless.resources.Subscription;
import com.gocardless.services.BillingRequestService.BillingRequestCreateRequest;
import com.gocardless.services.SubscriptionService.SubscriptionCreateRequest.IntervalUnit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriptions through the official client (docs/gocardless/API.md §4.5): payments created on the
 * schedule as the simulated clock moves, pause and resume, amendments, cancellation and finishing,
 * and cancellation with the mandate (events linked by {@code parent_event}).
 */
@ExtendWith(TestSimulator.class)
class SubscriptionsTest {
  private static GoCardlessClient client;

  @BeforeAll
  static void merchant() {
    client = client(SIM.createOrganisation("Subscriptions Ltd", "successful").accessToken());
  }

  private static List<Payment> paymentsOf(Subscription s) {
    List<Payment> result = new ArrayList<>();
    client.payments().all().withSubscription(s.getId()).execute().forEach(result::add);
    return result.reversed();
  }

  private static List<Event> eventsOf(Subscription s) {
    List<Event> result = new ArrayList<>();
    client.events().all().withSubscription(s.getId()).execute().forEach(result::add);
    return result.reversed();
  }

  @Test
  void monthlySubscriptionCreatesItsPaymentsAsTheClockMoves() {
    Mandate mandate = Fixtures.activeMandate(client, "Monthly");
    LocalDate first = Dates.nextDayOfMonth(LocalDate.parse(mandate.getNextPossibleChargeDate()), 5);
    Subscription s =
        client
            .subscriptions()
            .create()
            .withAmount(1500)
            .withCurrency("GBP")
            .withIntervalUnit(IntervalUnit.MONTHLY)
            .withDayOfMonth(5)
            .withName("Gold plan")
            .withPaymentReference("GOLD")
            .withMetadata("plan", "gold")
            .withLinksMandate(mandate.getId())
            .execute();
    assertThat(s.getId()).startsWith("SB");
    assertThat(s.getStatus()).isEqualTo(Subscription.Status.ACTIVE);
    assertThat(s.getStartDate()).isEqualTo(first.toString());
    assertThat(s.getInterval()).isEqualTo(1);
    assertThat(s.getUpcomingPayments()).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(s.getUpcomingPayments().get(i).getChargeDate())
          .isEqualTo(Dates.rollForward(first.plusMonths(i)).toString());
      assertThat(s.getUpcomingPayments().get(i).getAmount()).isEqualTo(1500);
    }

    // On the third charge date, three payments exist: one per cycle so far, none beyond.
    SIM.clock().advanceTo(first.plusMonths(2));
    List<Payment> payments = paymentsOf(s);
    assertThat(payments)
        .extracting(Payment::getChargeDate)
        .containsExactly(
            Dates.rollForward(first).toString(),
            Dates.rollForward(first.plusMonths(1)).toString(),
            Dates.rollForward(first.plusMonths(2)).toString());
    assertThat(payments)
        .allSatisfy(
            p -> {
              assertThat(p.getAmount()).isEqualTo(1500);
              assertThat(p.getDescription()).isEqualTo("Gold plan");
              assertThat(p.getReference()).isEqualTo("GOLD");
              assertThat(p.getLinks().getMandate()).isEqualTo(mandate.getId());
              assertThat(p.getLinks().getSubscription()).isEqualTo(s.getId());
            });
    assertThat(payments.get(0).getStatus()).isEqualTo(Payment.Status.PAID_OUT);
    assertThat(
            eventsOf(s).stream()
                .filter(e -> "payment_created".equals(e.getAction()))
                .map(e -> e.getLinks().getPayment())
                .toList())
        .containsExactlyElementsOf(payments.stream().map(Payment::getId).toList());
    Event created = eventsOf(s).getFirst();
    assertThat(created.getAction()).isEqualTo("created");
    assertThat(created.getDetails().getOrigin()).isEqualTo(Event.Details.Origin.API);
    assertThat(created.getDetails().getCause()).isEqualTo("subscription_created");
    assertThat(created.getResourceMetadata()).containsEntry("plan", "gold");
    Subscription now = client.subscriptions().get(s.getId()).execute();
    assertThat(now.getUpcomingPayments().getFirst().getChargeDate())
        .isEqualTo(Dates.rollForward(first.plusMonths(2)).toString());
    assertThat(now.getUpcomingPayments().get(1).getChargeDate())
        .isEqualTo(Dates.rollForward(first.plusMonths(3)).toString());
    assertThat(client.subscriptions().list().withMandate(mandate.getId()).execute().getItems())
        .extracting(Subscription::getId)
        .containsExactly(s.getId());
  }

  @Test
  void countFinishesTheSubscription() {
    Mandate mandate = Fixtures.activeMandate(client, "Counted");
    Subscription s =
        client
            .subscriptions()
            .create()
            .withAmount(700)
            .withCurrency("GBP")
            .withIntervalUnit(IntervalUnit.WEEKLY)
            .withCount(2)
            .withLinksMandate(mandate.getId())
            .execute();
    assertThat(s.getUpcomingPayments()).hasSize(2);
    SIM.clock().advanceTo(LocalDate.parse(s.getStartDate()).plusWeeks(2));
    assertThat(paymentsOf(s)).hasSize(2);
    Subscription finished = client.subscriptions().get(s.getId()).execute();
    assertThat(finished.getStatus()).isEqualTo(Subscription.Status.FINISHED);
    assertThat(finished.getUpcomingPayments()).isEmpty();
    assertThat(eventsOf(s).getLast().getAction()).isEqualTo("finished");
    InvalidStateException ended =
        assertThrows(
            InvalidStateException.class, () -> client.subscriptions().pause(s.getId()).execute());
    assertThat(ended.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("subscription_already_ended");
  }

  @Test
  void pauseForCyclesSkipsThemAndResumesByItself() {
    Mandate mandate = Fixtures.activeMandate(client, "Paused");
    LocalDate start = LocalDate.parse(mandate.getNextPossibleChargeDate()).plusWeeks(3);
    Subscription s =
        client
            .subscriptions()
            .create()
            .withAmount(900)
            .withCurrency("GBP")
            .withIntervalUnit(IntervalUnit.WEEKLY)
            .withStartDate(start.toString())
            .withLinksMandate(mandate.getId())
            .execute();
    assertThat(paymentsOf(s)).isEmpty();
    Subscription paused = client.subscriptions().pause(s.getId()).withPauseCycles(2).execute();
    assertThat(paused.getStatus()).isEqualTo(Subscription.Status.PAUSED);
    assertThat(paused.getEarliestChargeDateAfterResume())
        .isEqualTo(Dates.rollForward(start.plusWeeks(2)).toString());
    InvalidStateException again =
        assertThrows(
            InvalidStateException.class,
            () -> client.subscriptions().pause(s.getId()).withPauseCycles(1).execute());
    assertThat(again.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("subscription_paused_cannot_update_cycles");

    // A payment is created five working days (Bacs lead time + 2) before its charge date: the day
    // before the fourth cycle's payment is due to be created, only the third cycle's exists.
    SIM.clock()
        .advanceTo(
            Dates.subtractWorkingDays(Dates.rollForward(start.plusWeeks(3)), 5).minusDays(1));
    assertThat(paymentsOf(s))
        .extracting(Payment::getChargeDate)
        .containsExactly(Dates.rollForward(start.plusWeeks(2)).toString());
    Subscription resumed = client.subscriptions().get(s.getId()).execute();
    assertThat(resumed.getStatus()).isEqualTo(Subscription.Status.ACTIVE);
    assertThat(resumed.getEarliestChargeDateAfterResume()).isNull();
    Event resumedEvent =
        eventsOf(s).stream().filter(e -> "resumed".equals(e.getAction())).findFirst().orElseThrow();
    assertThat(resumedEvent.getDetails().getOrigin()).isEqualTo(Event.Details.Origin.GOCARDLESS);
  }

  @Test
  void pauseResumeAmendAndCancelThroughTheApi() {
    Mandate mandate = Fixtures.activeMandate(client, "Managed");
    Subscription s =
        client
            .subscriptions()
            .create()
            .withAmount(1000)
            .withCurrency("GBP")
            .withIntervalUnit(IntervalUnit.MONTHLY)
            .withLinksMandate(mandate.getId())
            .execute();
    List<Payment> pending = paymentsOf(s);
    assertThat(pending).hasSize(1);
    assertThat(pending.getFirst().getStatus()).isEqualTo(Payment.Status.PENDING_SUBMISSION);

    assertThat(client.subscriptions().pause(s.getId()).execute().getStatus())
        .isEqualTo(Subscription.Status.PAUSED);
    // Pausing keeps the payment already created; no cycle is projected while paused indefinitely.
    assertThat(client.subscriptions().get(s.getId()).execute().getUpcomingPayments())
        .extracting(u -> u.getChargeDate())
        .containsExactly(pending.getFirst().getChargeDate());
    assertThat(client.subscriptions().resume(s.getId()).execute().getStatus())
        .isEqualTo(Subscription.Status.ACTIVE);
    InvalidStateException notPaused =
        assertThrows(
            InvalidStateException.class, () -> client.subscriptions().resume(s.getId()).execute());
    assertThat(notPaused.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("subscription_not_paused");

    for (int amount = 1001; amount <= 1010; amount++) {
      assertThat(client.subscriptions().update(s.getId()).withAmount(amount).execute().getAmount())
          .isEqualTo(amount);
    }
    InvalidStateException tooMany =
        assertThrows(
            InvalidStateException.class,
            () -> client.subscriptions().update(s.getId()).withAmount(2000).execute());
    assertThat(tooMany.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("number_of_subscription_amendments_exceeded");
    assertThat(client.subscriptions().update(s.getId()).withName("Renamed").execute().getName())
        .isEqualTo("Renamed");
    assertThat(eventsOf(s)).filteredOn(e -> "amended".equals(e.getAction())).hasSize(10);

    Subscription cancelled =
        client.subscriptions().cancel(s.getId()).withMetadata("why", "moved").execute();
    assertThat(cancelled.getStatus()).isEqualTo(Subscription.Status.CANCELLED);
    Event cancelEvent = eventsOf(s).getLast();
    assertThat(cancelEvent.getAction()).isEqualTo("cancelled");
    assertThat(cancelEvent.getMetadata()).containsEntry("why", "moved");
    Payment payment = client.payments().get(pending.getFirst().getId()).execute();
    assertThat(payment.getStatus()).isEqualTo(Payment.Status.CANCELLED);
    assertThat(client.events().list().withParentEvent(cancelEvent.getId()).execute().getItems())
        .extracting(e -> e.getLinks().getPayment())
        .containsExactly(payment.getId());
    InvalidStateException twice =
        assertThrows(
            InvalidStateException.class, () -> client.subscriptions().cancel(s.getId()).execute());
    assertThat(twice.getErrors())
        .extracting(e -> e.getReason())
        .containsExactly("cancellation_failed");
  }

  @Test
  void cancellingTheMandateCancelsItsSubscriptionsAndPayments() {
    Mandate mandate = Fixtures.activeMandate(client, "Cascade");
    Subscription s =
        client
            .subscriptions()
            .create()
            .withAmount(1200)
            .withCurrency("GBP")
            .withIntervalUnit(IntervalUnit.MONTHLY)
            .withLinksMandate(mandate.getId())
            .execute();
    Payment payment = paymentsOf(s).getFirst();
    client.mandates().cancel(mandate.getId()).execute();
    Event mandateCancelled =
        client
            .events()
            .list()
            .withMandate(mandate.getId())
            .withAction("cancelled")
            .execute()
            .getItems()
            .getFirst();

    assertThat(client.subscriptions().get(s.getId()).execute().getStatus())
        .isEqualTo(Subscription.Status.CANCELLED);
    List<Event> children =
        client.events().list().withParentEvent(mandateCancelled.getId()).execute().getItems();
    assertThat(children)
        .extracting(e -> e.getResourceType() + "/" + e.getAction())
        .containsExactlyInAnyOrder("PAYMENTS/cancelled", "SUBSCRIPTIONS/cancelled");
    assertThat(children)
        .allSatisfy(
            e -> {
              assertThat(e.getLinks().getParentEvent()).isEqualTo(mandateCancelled.getId());
              assertThat(e.getDetails().getCause()).isEqualTo("mandate_cancelled");
            });
    assertThat(children)
        .extracting(
            e ->
                e.getLinks().getPayment() != null
                    ? e.getLinks().getPayment()
                    : e.getLinks().getSubscription())
        .containsExactlyInAnyOrder(payment.getId(), s.getId());
  }

  @Test
  void invalidSubscriptionsAreRefused() {
    Mandate mandate = Fixtures.activeMandate(client, "Invalid");
    ValidationFailedException e =
        assertThrows(
            ValidationFailedException.class,
            () ->
                client
                    .subscriptions()
                    .create()
                    .withAmount(1000)
                    .withCurrency("EUR")
                    .withIntervalUnit(IntervalUnit.WEEKLY)
                    .withDayOfMonth(3)
                    .withStartDate(
                        LocalDate.parse(mandate.getNextPossibleChargeDate())
                            .minusDays(1)
                            .toString())
                    .withLinksMandate(mandate.getId())
                    .execute());
    assertThat(e.getErrors())
        .extracting(x -> x.getField())
        .containsExactlyInAnyOrder("currency", "day_of_month", "start_date");
    client.mandates().cancel(mandate.getId()).execute();
    InvalidStateException inactive =
        assertThrows(
            InvalidStateException.class,
            () ->
                client
                    .subscriptions()
                    .create()
                    .withAmount(1000)
                    .withCurrency("GBP")
                    .withIntervalUnit(IntervalUnit.MONTHLY)
                    .withLinksMandate(mandate.getId())
                    .execute());
    assertThat(inactive.getErrors())
        .extracting(x -> x.getReason())
        .containsExactly("mandate_is_inactive");
  }

  @Test
  void aBillingRequestsSubscriptionRequestStartsOnItsMandate() {
    BillingRequest brq =
        client
            .billingRequests()
            .create()
            .withMandateRequestScheme("bacs")
            .withSubscriptionRequestAmount(2500)
            .withSubscriptionRequestCurrency("GBP")
            .withSubscriptionRequestIntervalUnit(
                BillingRequestCreateRequest.SubscriptionRequest.IntervalUnit.MONTHLY)
            .withSubscriptionRequestDayOfMonth(1)
            .withSubscriptionRequestName("Membership")
            .withSubscriptionRequestMetadata(Map.of("tier", "full"))
            .execute();
    assertThat(brq.getLinks().getSubscriptionRequest()).startsWith("SBR");
    assertThat(brq.getSubscriptionRequest().getAmount()).isEqualTo(2500);
    assertThat(brq.getSubscriptionRequest().getDayOfMonth()).isEqualTo(1);
    assertThat(brq.getSubscriptionRequest().getLinks().getSubscription()).isNull();
    client
        .billingRequests()
        .collectCustomerDetails(brq.getId())
        .withCustomerGivenName("Member")
        .withCustomerFamilyName("Ship")
        .withCustomerEmail("member@example.com")
        .withCustomerBillingDetailAddressLine1("1 Club Street")
        .withCustomerBillingDetailCity("London")
        .withCustomerBillingDetailPostalCode("E1 1AA")
        .withCustomerBillingDetailCountryCode("GB")
        .execute();
    client
        .billingRequests()
        .collectBankAccount(brq.getId())
        .withAccountHolderName("Member Ship")
        .withAccountNumber("55779911")
        .withBranchCode("200000")
        .withCountryCode("GB")
        .execute();
    client.billingRequests().confirmPayerDetails(brq.getId()).execute();
    BillingRequest fulfilled = client.billingRequests().fulfil(brq.getId()).execute();

    String subscriptionId = fulfilled.getLinks().getSubscriptionRequestSubscription();
    assertThat(fulfilled.getSubscriptionRequest().getLinks().getSubscription())
        .isEqualTo(subscriptionId);
    Subscription s = client.subscriptions().get(subscriptionId).execute();
    assertThat(s.getLinks().getMandate())
        .isEqualTo(fulfilled.getLinks().getMandateRequestMandate());
    assertThat(s.getAmount()).isEqualTo(2500);
    assertThat(s.getName()).isEqualTo("Membership");
    assertThat(s.getMetadata()).containsEntry("tier", "full");
    assertThat(LocalDate.parse(s.getStartDate()).getDayOfMonth()).isEqualTo(1);
    Mandate mandate = client.mandates().get(s.getLinks().getMandate()).execute();
    assertThat(LocalDate.parse(s.getStartDate()))
        .isAfterOrEqualTo(LocalDate.parse(mandate.getNextPossibleChargeDate()));
  }

  @Test
  void aSubscriptionRequestNeedsAMandateRequestInItsCurrency() {
    ValidationFailedException alone =
        assertThrows(
            ValidationFailedException.class,
            () ->
                client
                    .billingRequests()
                    .create()
                    .withPaymentRequestAmount(100)
                    .withPaymentRequestCurrency("GBP")
                    .withSubscriptionRequestAmount(100)
                    .withSubscriptionRequestCurrency("GBP")
                    .withSubscriptionRequestIntervalUnit(
                        BillingRequestCreateRequest.SubscriptionRequest.IntervalUnit.MONTHLY)
                    .execute());
    assertThat(alone.getErrors())
        .extracting(e -> e.getField())
        .containsExactly("subscription_request");
    ValidationFailedException currency =
        assertThrows(
            ValidationFailedException.class,
            () ->
                client
                    .billingRequests()
                    .create()
                    .withMandateRequestScheme("bacs")
                    .withSubscriptionRequestAmount(100)
                    .withSubscriptionRequestCurrency("EUR")
                    .withSubscriptionRequestIntervalUnit(
                        BillingRequestCreateRequest.SubscriptionRequest.IntervalUnit.MONTHLY)
                    .execute());
    assertThat(currency.getErrors()).extracting(e -> e.getField()).containsExactly("currency");
  }
}
