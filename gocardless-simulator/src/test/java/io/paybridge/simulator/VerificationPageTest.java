package io.paybridge.simulator;

import static io.paybridge.simulator.TestSimulator.RECEIVER;
import static io.paybridge.simulator.TestSimulator.SIM;
import static io.paybridge.simulator.TestSimulator.client;
import static io.paybridge.simulator.TestSimulator.get;
import static io.paybridge.simulator.TestSimulator.location;
import static io.paybridge.simulator.TestSimulator.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.Creditor;
import com.gocardless.resources.Event;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The merchant verification flow (docs/gocardless/API.md §2.4): {@code action_required}, details
 * submitted → {@code in_review}, review over → {@code successful}, each change a {@code
 * creditors}/{@code updated} event with {@code details.property = verification_status}.
 */
@ExtendWith(TestSimulator.class)
class VerificationPageTest {

  /** The README's default review delay. */
  private static final Duration REVIEW_DELAY = Duration.ofMinutes(5);

  @Test
  void submittingDetailsPutsTheCreditorInReviewAndTheReviewEndsAsTheClockMoves() {
    SimulatedOrganisation org = SIM.createOrganisation("Verify Me Ltd", "action_required");
    GoCardlessClient client = client(org.accessToken());
    String page = SIM.verificationUrl(org.organisationId());
    assertThat(page).isEqualTo(SIM.baseUrl() + "/verify?organisation=" + org.organisationId());

    HttpResponse<String> form = get(page);
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body())
        .contains("id=\"verification_details\"")
        .contains(org.creditorId())
        .contains("action_required");

    HttpResponse<String> incomplete =
        postForm(page, Map.of("legal_name", "Verify Me Ltd", "company_number", ""));
    assertThat(incomplete.statusCode()).isEqualTo(422);
    assertThat(incomplete.body()).contains("id=\"errors\"").contains("company_number");
    assertThat(status(client, org)).isEqualTo(Creditor.VerificationStatus.ACTION_REQUIRED);
    assertThat(updates(org)).isEmpty();

    HttpResponse<String> submitted = postForm(page, details());
    assertThat(submitted.statusCode()).isEqualTo(303);
    assertThat(location(submitted)).isEqualTo("/verify?organisation=" + org.organisationId());
    assertThat(status(client, org)).isEqualTo(Creditor.VerificationStatus.IN_REVIEW);
    assertThat(get(page).body()).contains("id=\"in_review\"");
    // Submitting again (back button) starts no second review.
    assertThat(postForm(page, details()).statusCode()).isEqualTo(303);
    await().atMost(Duration.ofSeconds(5)).until(() -> updates(org).size() == 1);

    SIM.clock().advance(REVIEW_DELAY.minusSeconds(30));
    assertThat(status(client, org)).isEqualTo(Creditor.VerificationStatus.IN_REVIEW);

    SIM.clock().advance(Duration.ofSeconds(31));
    assertThat(status(client, org)).isEqualTo(Creditor.VerificationStatus.SUCCESSFUL);
    assertThat(get(page).body()).contains("id=\"successful\"").doesNotContain("<form");

    await().atMost(Duration.ofSeconds(5)).until(() -> updates(org).size() == 2);
    List<Event> updates = updates(org);
    assertThat(updates)
        .allSatisfy(
            e -> {
              // API.md §2.4 and §5.3: creditors/updated, gocardless/creditor_updated, the property.
              assertThat(e.getAction()).isEqualTo("updated");
              assertThat(e.getDetails().getOrigin()).isEqualTo(Event.Details.Origin.GOCARDLESS);
              assertThat(e.getDetails().getCause()).isEqualTo("creditor_updated");
              assertThat(e.getDetails().getProperty()).isEqualTo("verification_status");
              assertThat(e.getLinks().getCreditor()).isEqualTo(org.creditorId());
              assertThat(e.getLinks().getOrganisation()).isEqualTo(org.organisationId());
            });
    assertThat(updates.get(0).getCreatedAt()).isLessThan(updates.get(1).getCreatedAt());
    // The events API lists the same two events.
    assertThat(client.events().list().withCreditor(org.creditorId()).execute().getItems())
        .extracting(Event::getId)
        .containsExactlyInAnyOrderElementsOf(updates.stream().map(Event::getId).toList());
  }

  @Test
  void aLinkWithoutAKnownOrganisationShowsNothing() {
    assertThat(get(SIM.baseUrl() + "/verify?organisation=OR000000000000").statusCode())
        .isEqualTo(404);
    assertThat(get(SIM.baseUrl() + "/verify").statusCode()).isEqualTo(404);
  }

  private static Map<String, String> details() {
    return Map.of(
        "legal_name", "Verify Me Ltd", "company_number", "01234567", "director", "Ada Director");
  }

  private static Creditor.VerificationStatus status(
      GoCardlessClient client, SimulatedOrganisation org) {
    return client.creditors().get(org.creditorId()).execute().getVerificationStatus();
  }

  /** The creditors/updated events of the organisation's creditor delivered by webhook. */
  private static List<Event> updates(SimulatedOrganisation org) {
    return RECEIVER.events().stream()
        .filter(e -> e.getResourceType() == Event.ResourceType.CREDITORS)
        .filter(e -> org.creditorId().equals(e.getLinks().getCreditor()))
        .toList();
  }
}
