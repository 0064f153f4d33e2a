package io.paybridge.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.browser.ConsoleBrowser;
import io.paybridge.platform.testsupport.http.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}; {@code .ci/run} installs them): the page served by the gateway, the operator's
 * token pasted in, the relays and one event's timeline shown from the gateway's joined answers (the
 * browser: test-support's {@link ConsoleBrowser}). Screenshots go to {@code
 * target/console-screenshots/}.
 */
class ConsoleIT extends GatewayHarness {

  private static ConsoleBrowser console;
  private static ChromeDriver browser;

  @BeforeAll
  static void startChromium() throws IOException {
    console = ConsoleBrowser.start(Path.of("target", "console-screenshots"));
    browser = console.driver();
  }

  @AfterAll
  static void stopChromium() {
    if (console != null) {
      console.close();
    }
  }

  @Test
  void servesThePageWithoutAToken() {
    var page = Http.get(url("/console/"), null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("PayBridge operator console");
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("connect-src 'self'");
  }

  @Test
  void showsTheRelaysAndOneEventsTimelineWithThePastedToken() throws IOException {
    OperationsFixture.servicesAnswer();
    String operator = teamToken("operations", "operations:read", "operations:write");
    var wait = new WebDriverWait(browser, Duration.ofSeconds(20));

    browser.get(url("/console/"));
    browser.findElement(By.id("token")).sendKeys(operator);
    browser.findElement(By.id("token-use")).click();

    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#relays tbody tr"), 4));
    assertThat(column("relays", 0))
        .containsExactly(
            "webhook-ingest-service", "oauth-service", "billing-service", "notification-service");
    assertThat(column("relays", 2)).containsOnly("publishing");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rejections tbody tr"), 1));
    assertThat(column("rejections", 3)).containsExactly("req-498");
    screenshot("relays.png");

    browser.findElement(By.id("timeline-q")).sendKeys(OperationsFixture.EVENT);
    browser.findElement(By.id("timeline-search")).click();

    wait.until(
        ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline-steps tbody tr"), 9));
    assertThat(column("timeline-steps", 2))
        .containsExactly(
            "delivery-received",
            "inbox-stored",
            "outbox-written",
            "kafka-record",
            "consumed",
            "outbox-written",
            "kafka-record",
            "consumed",
            "notification-delivered");
    assertThat(browser.findElement(By.id("timeline-status")).getText())
        .startsWith("9 steps for " + OperationsFixture.EVENT);
    screenshot("timeline.png");

    // The token stays in the page's memory: nothing stored, the field emptied.
    var storage =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return localStorage.length + sessionStorage.length + document.cookie.length");
    assertThat(storage).isEqualTo(0L);
    assertThat(browser.findElement(By.id("token")).getAttribute("value")).isEmpty();
  }

  /**
   * The dead letters, quarantine and audit panels against the gateway's joined endpoints: the
   * services here answer as their operator API does (their own behaviour, replays applied once, is
   * platform/operations-support's DeadLetterReplayIT and webhook-ingest-service's QuarantineIT); a
   * replay changes what they list, so each panel shows what the replay did.
   */
  @Test
  void listsAndReplaysADeadLetterAndAQuarantinedEventAndShowsTheReplaysInTheAuditLog()
      throws IOException {
    OperationsFixture.servicesAnswer();
    var replayed = new AtomicBoolean();
    var released = new AtomicBoolean();
    String letterId = "billing.payment.notification-service.dlt-0-4";
    NOTIFICATION.answer(
        "/operations/dead-letters",
        request ->
            replayed.get()
                ? "{\"deadLetters\":[]}"
                : "{\"deadLetters\":[{\"id\":\""
                    + letterId
                    + "\",\"topic\":\"billing.payment.notification-service.dlt\","
                    + "\"originalTopic\":\"billing.payment\",\"partition\":0,\"offset\":4,"
                    + "\"key\":\"PM0001\",\"eventId\":\"f0000000-0000-4000-8000-00000000000d\","
                    + "\"eventType\":\"PaymentConfirmed\",\"error\":\"fact is not JSON\","
                    + "\"at\":\"2026-11-30T08:10:00Z\"}]}");
    NOTIFICATION.answer(
        "/operations/dead-letters/replays",
        request -> {
          replayed.set(true);
          return "{\"replayed\":1,\"auditId\":\"a0000000-0000-4000-8000-000000000001\"}";
        });
    NOTIFICATION.answer(
        "/operations/audit",
        request ->
            replayed.get()
                ? "{\"entries\":[{\"id\":\"a0000000-0000-4000-8000-000000000001\","
                    + "\"at\":\"2026-11-30T08:20:00Z\",\"service\":\"notification-service\","
                    + "\"action\":\"dead-letters.replayed\",\"actor\":\"team:operations\","
                    + "\"requestId\":\"req-1\",\"target\":\""
                    + letterId
                    + "\",\"detail\":{}}]}"
                : "{\"entries\":[]}");
    WEBHOOK_INGEST.answer(
        "/operations/quarantine",
        request ->
            released.get()
                ? "[]"
                : "[{\"id\":17,\"reason\":\"unknown_resource_type\",\"eventId\":\"EV0Q17\","
                    + "\"detail\":\"resource_type widgets\",\"createdAt\":\"2026-11-30T08:05:00Z\"}]");
    WEBHOOK_INGEST.answer(
        "/operations/quarantine/replays",
        request -> {
          released.set(true);
          return "{\"replayed\":1,\"auditId\":\"q1\",\"alreadyReleased\":[],"
              + "\"stillInvalid\":[],\"notFound\":[]}";
        });
    WEBHOOK_INGEST.answer(
        "/operations/audit",
        request ->
            released.get()
                ? "{\"entries\":[{\"id\":\"q1\",\"at\":\"2026-11-30T08:30:00Z\","
                    + "\"action\":\"quarantine.replayed\",\"actor\":\"operator:gateway\","
                    + "\"target\":\"quarantined-event 17\",\"detail\":{}}]}"
                : "{\"entries\":[]}");
    var wait = new WebDriverWait(browser, Duration.ofSeconds(20));

    browser.get(url("/console/"));
    browser
        .findElement(By.id("token"))
        .sendKeys(teamToken("operations", "operations:read", "operations:write"));
    browser.findElement(By.id("token-use")).click();

    wait.until(
        ExpectedConditions.numberOfElementsToBe(By.cssSelector("#dead-letters tbody tr"), 1));
    assertThat(column("dead-letters", 1)).containsExactly("notification-service");
    assertThat(column("dead-letters", 5)).containsExactly("fact is not JSON");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#quarantine tbody tr"), 1));
    assertThat(column("quarantine", 3)).containsExactly("EV0Q17");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("audit-status"), "0 audit"));
    screenshot("dead-letters-and-quarantine.png");

    browser.findElement(By.cssSelector("#dead-letters tbody input[type=checkbox]")).click();
    browser.findElement(By.id("dead-letters-replay")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("dead-letters-status"), "Replayed 1"));
    // Replayed, the dead letter is no longer listed by its service.
    assertThat(browser.findElements(By.cssSelector("#dead-letters tbody tr"))).isEmpty();
    browser.findElement(By.cssSelector("#quarantine tbody input[type=checkbox]")).click();
    browser.findElement(By.id("quarantine-replay")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("quarantine-status"), "Replayed 1"));
    assertThat(browser.findElements(By.cssSelector("#quarantine tbody tr"))).isEmpty();

    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#audit tbody tr"), 2));
    assertThat(column("audit", 2)).containsExactly("quarantine.replayed", "dead-letters.replayed");
    assertThat(column("audit", 1))
        .containsExactly("webhook-ingest-service", "notification-service");
    screenshot("replays-audited.png");

    // Each replay went once, to the service that holds it, with what the operator chose.
    var deadLetterReplays =
        NOTIFICATION.received().stream()
            .filter(r -> r.path().equals("/operations/dead-letters/replays"))
            .toList();
    assertThat(deadLetterReplays).singleElement();
    assertThat(new String(deadLetterReplays.getFirst().body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ids\":[\"" + letterId + "\"]}");
    var quarantineReplays =
        WEBHOOK_INGEST.received().stream()
            .filter(r -> r.path().equals("/operations/quarantine/replays"))
            .toList();
    assertThat(quarantineReplays).singleElement();
    assertThat(new String(quarantineReplays.getFirst().body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"ids\":[17]}");
    assertThat(quarantineReplays.getFirst().header("Authorization"))
        .isEqualTo("Bearer " + WEBHOOK_INGEST_OPERATOR_TOKEN);
  }

  @Test
  void saysWhichServiceDoesNotAnswer() throws IOException {
    OperationsFixture.servicesAnswer(NOTIFICATION);
    var wait = new WebDriverWait(browser, Duration.ofSeconds(20));

    browser.get(url("/console/"));
    browser.findElement(By.id("token")).sendKeys(teamToken("operations", "operations:read"));
    browser.findElement(By.id("token-use")).click();

    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("relays-status"), "Not answering: notification-service"));
    assertThat(browser.findElements(By.cssSelector("#relays tbody tr"))).hasSize(3);
    screenshot("relays-one-unavailable.png");
  }

  private static List<String> column(String table, int index) {
    return console.column(table, index);
  }

  private static void screenshot(String name) throws IOException {
    console.screenshot(name);
  }
}
