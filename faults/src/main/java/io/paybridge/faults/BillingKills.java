package io.paybridge.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 9: billing-service killed with SIGKILL {@code kills} times while teams create billing
 * requests with {@code Idempotency-Key}s. Each client sends a create until it is answered 201 or
 * 200, retrying the same key (same body) after any other outcome: a refused connection while the
 * service is down, a reset connection at the kill, a 5xx. Every fifth key is sent once more after
 * its answer, as a client that never saw the answer would. The key is also in the billing request's
 * metadata, so that what GoCardless (the simulator) holds can be counted per key.
 *
 * <p>A client keeps retrying its key while the kills go on and for {@code markerTimeout} after the
 * load ends. Pass: every key was answered 2xx in the end; GoCardless holds exactly one billing
 * request per key, the one the answers named; billing-service holds exactly one row per key, the
 * same one; no answer other than 200/201 was taken as success (5xx answers are counted, and
 * retried).
 */
final class BillingKills {

  private static final int CLIENTS = 6;

  private BillingKills() {}

  /** What one key got. */
  private record Outcome(String id, int status, int attempts) {}

  static Verdict run(Stack stack) throws Exception {
    var settings = stack.settings;
    String name =
        "9 billing-service SIGKILLed "
            + settings.kills()
            + " times while teams create billing requests";
    FaultHarness.say("scenario %s", name);
    var details = new ArrayList<String>();
    try (var stand = new BillingStand(stack, "scenario-9")) {
      stack.startAndAwait(stand.billing);
      var merchants = List.of(stand.connect("Kills One"), stand.connect("Kills Two"));
      var outcomes = new ConcurrentHashMap<String, Outcome>();
      var repeatedDiffers = new ConcurrentHashMap<String, String>();
      var answers = new ConcurrentHashMap<Integer, AtomicLong>();
      var ioFailures = new AtomicLong();
      var unfinished = ConcurrentHashMap.<String>newKeySet();
      var sending = new AtomicBoolean(true);
      // A client retries its key for as long as the kills go on, then for markerTimeout more.
      var giveUpAt = new AtomicLong(Long.MAX_VALUE);
      String token = stand.teamToken();
      var clients = new ArrayList<Thread>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int n = 0; sending.get(); n++) {
                        var merchant = merchants.get((client + n) % merchants.size());
                        String key = stack.runId + "-C" + client + "-" + n;
                        String body =
                            """
                            {"merchantId":"%s","paymentRequest":{"amount":%d,"currency":"GBP",
                             "description":"Order %s"},"metadata":{"clientKey":"%s"}}
                            """
                                .formatted(merchant.id(), 100 + n, key, key);
                        var outcome =
                            createUntilAnswered(
                                stand, token, key, body, answers, ioFailures, settings, giveUpAt);
                        if (outcome == null) {
                          unfinished.add(key);
                          return;
                        }
                        outcomes.put(key, outcome);
                        if (n % 5 == 0) {
                          var again =
                              createUntilAnswered(
                                  stand, token, key, body, answers, ioFailures, settings, giveUpAt);
                          if (again == null || !outcome.id().equals(again.id())) {
                            repeatedDiffers.put(key, again == null ? "no answer" : again.id());
                          }
                        }
                      }
                    }));
      }
      Stack.sleep(settings.loadBefore());
      for (int kill = 1; kill <= settings.kills(); kill++) {
        Stack.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(2000, 6000)));
        stand.billing.kill();
        long killedAt = System.nanoTime();
        FaultHarness.say(
            "  kill %d/%d: SIGKILL with %d keys answered", kill, settings.kills(), outcomes.size());
        stack.startAndAwait(stand.billing);
        details.add(
            String.format(
                "kill %d: back up after %.1f s, %d keys answered by then",
                kill, (System.nanoTime() - killedAt) / 1e9, outcomes.size()));
      }
      Stack.sleep(settings.loadAfter());
      giveUpAt.set(System.nanoTime() + settings.markerTimeout().toNanos());
      sending.set(false);
      for (var thread : clients) {
        thread.join();
      }

      // What GoCardless holds, per client key, and what billing-service holds.
      var atGoCardless = new HashMap<String, List<String>>();
      for (var merchant : merchants) {
        for (var request :
            stand.all(merchant.organisation(), "/billing_requests", "billing_requests")) {
          String key = request.path("metadata").path("clientKey").asString(null);
          if (key != null && key.startsWith(stack.runId + "-C")) {
            atGoCardless
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(request.path("id").asString());
          }
        }
      }
      var inBilling = new HashMap<String, List<String>>();
      try (var connection = stand.database();
          var statement = connection.createStatement();
          var rows =
              statement.executeQuery(
                  "select id, view->'metadata'->>'clientKey' from billing_request")) {
        while (rows.next()) {
          String key = rows.getString(2);
          if (key != null) {
            inBilling.computeIfAbsent(key, k -> new ArrayList<>()).add(rows.getString(1));
          }
        }
      }
      var attempted = new java.util.HashSet<String>(outcomes.keySet());
      attempted.addAll(unfinished);
      long duplicatedAtGoCardless =
          atGoCardless.values().stream().filter(ids -> ids.size() > 1).count();
      long missingAtGoCardless =
          outcomes.keySet().stream().filter(k -> !atGoCardless.containsKey(k)).count();
      long otherThanAnswered =
          outcomes.entrySet().stream()
              .filter(
                  e ->
                      atGoCardless.containsKey(e.getKey())
                          && !atGoCardless.get(e.getKey()).equals(List.of(e.getValue().id())))
              .count();
      long rowsNotOne =
          outcomes.keySet().stream()
              .filter(k -> inBilling.getOrDefault(k, List.of()).size() != 1)
              .count();
      long rowsOtherThanAnswered =
          outcomes.entrySet().stream()
              .filter(
                  e ->
                      inBilling.containsKey(e.getKey())
                          && !inBilling.get(e.getKey()).equals(List.of(e.getValue().id())))
              .count();
      long retried = outcomes.values().stream().filter(o -> o.attempts() > 1).count();
      // A retried key answered 200 found what an earlier attempt made before the kill.
      long retriedFound =
          outcomes.values().stream().filter(o -> o.attempts() > 1 && o.status() == 200).count();
      long fiveHundreds =
          answers.entrySet().stream()
              .filter(e -> e.getKey() >= 500)
              .mapToLong(e -> e.getValue().get())
              .sum();
      details.add("answers by status: " + new java.util.TreeMap<>(answers));
      details.add(
          ioFailures.get() + " attempts ended without an answer (refused or reset connections)");
      details.add(
          retried
              + " keys needed more than one attempt; "
              + retriedFound
              + " of them were answered 200: the billing request an attempt cut by a kill had"
              + " made");
      if (!repeatedDiffers.isEmpty()) {
        details.add("a key sent again named another resource: " + repeatedDiffers);
      }
      if (!unfinished.isEmpty()) {
        details.add("keys never answered 2xx: " + unfinished.stream().limit(5).toList());
      }
      for (String key :
          outcomes.keySet().stream()
              .filter(k -> inBilling.getOrDefault(k, List.of()).size() != 1)
              .limit(5)
              .toList()) {
        var outcome = outcomes.get(key);
        details.add(
            String.format(
                "key %s without exactly one row: answered %d after %d attempt(s) with %s;"
                    + " rows naming it %s; the answered id's row: %s",
                key,
                outcome.status(),
                outcome.attempts(),
                outcome.id(),
                inBilling.getOrDefault(key, List.of()),
                stand.rowOf(outcome.id())));
      }
      String figures =
          String.format(
              "%d keys, %d answered 2xx (%d after a retry); at GoCardless %d keys with more than one"
                  + " billing request, %d answered keys missing, %d naming another; in billing-service"
                  + " %d keys without exactly one row, %d rows naming another; %d 5xx answers (retried,"
                  + " never taken as success); %d keys never answered",
              attempted.size(),
              outcomes.size(),
              retried,
              duplicatedAtGoCardless,
              missingAtGoCardless,
              otherThanAnswered,
              rowsNotOne,
              rowsOtherThanAnswered,
              fiveHundreds,
              unfinished.size());
      boolean pass =
          !outcomes.isEmpty()
              && unfinished.isEmpty()
              && duplicatedAtGoCardless == 0
              && missingAtGoCardless == 0
              && otherThanAnswered == 0
              && rowsNotOne == 0
              && rowsOtherThanAnswered == 0
              && repeatedDiffers.isEmpty()
              && atGoCardless.keySet().stream().allMatch(attempted::contains);
      return new Verdict(name, pass, figures, details);
    } finally {
      stack.stopServices();
    }
  }

  /**
   * Sends the create until it is answered 201 or 200 (its resource), or gives up at {@code
   * giveUpAt} ({@link System#nanoTime()}; returns {@code null}).
   */
  private static Outcome createUntilAnswered(
      BillingStand stand,
      String token,
      String key,
      String body,
      Map<Integer, AtomicLong> answers,
      AtomicLong ioFailures,
      FaultSettings settings,
      AtomicLong giveUpAt) {
    for (int attempt = 1; System.nanoTime() < giveUpAt.get(); attempt++) {
      try {
        var response =
            stand.http.send(
                HttpRequest.newBuilder(URI.create(stand.billingUrl("/billing-requests")))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        answers.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
        if (response.statusCode() == 201 || response.statusCode() == 200) {
          String id = BillingStand.JSON.readTree(response.body()).path("id").asString();
          return new Outcome(id, response.statusCode(), attempt);
        }
      } catch (IOException e) {
        ioFailures.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      try {
        Thread.sleep(settings.retryDelay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
