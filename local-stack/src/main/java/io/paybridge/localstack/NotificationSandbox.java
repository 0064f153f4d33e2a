package io.paybridge.localstack;

import com.sun.net.httpserver.HttpServer;
import io.paybridge.platform.testsupport.mail.TestSmtpServer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What notification-service delivers to on a developer's machine: a sample webhook receiver that
 * verifies each delivery as a Standard Webhooks library does and prints it, and an SMTP catcher
 * that prints each email. At start it subscribes a team to every fact (a webhook to the receiver,
 * an email address to the catcher) through the service's API.
 */
final class NotificationSandbox implements AutoCloseable {

  private final HttpServer receiver;
  private final TestSmtpServer smtp;
  private final Thread mailPrinter;
  private volatile String secret;

  private NotificationSandbox(int receiverPort) throws IOException {
    smtp = TestSmtpServer.get();
    receiver =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), receiverPort), 50);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          var headers = exchange.getRequestHeaders();
          boolean valid =
              verifies(
                  headers.getFirst("webhook-id"),
                  headers.getFirst("webhook-timestamp"),
                  headers.getFirst("webhook-signature"),
                  body);
          System.out.println(
              "[sample-receiver] "
                  + (valid ? "verified " : "REFUSED (bad signature) ")
                  + headers.getFirst("webhook-id")
                  + " "
                  + new String(body, StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(valid ? 204 : 401, -1);
          exchange.close();
        });
    receiver.start();
    mailPrinter = Thread.ofVirtual().name("smtp-catcher").start(this::printMails);
  }

  static NotificationSandbox start(int receiverPort) throws IOException {
    return new NotificationSandbox(receiverPort);
  }

  int smtpPort() {
    return smtp.port();
  }

  String receiverUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks";
  }

  /** Subscribes {@code team} to every fact: the receiver (keeping its secret) and an address. */
  void subscribe(String notificationServiceUrl, String token, String team) throws Exception {
    try (var client = HttpClient.newHttpClient()) {
      String webhook =
          post(
              client,
              notificationServiceUrl,
              token,
              "{\"url\":\"" + receiverUrl() + "\",\"eventTypes\":[\"*\"]}");
      int start = webhook.indexOf("\"secret\":\"") + "\"secret\":\"".length();
      secret = webhook.substring(start, webhook.indexOf('"', start));
      int idAt = webhook.indexOf("\"id\":\"") + "\"id\":\"".length();
      String endpointId = webhook.substring(idAt, webhook.indexOf('"', idAt));
      post(
          client,
          notificationServiceUrl,
          token,
          "{\"email\":\"" + team + "@paybridge.local\",\"eventTypes\":[\"*\"]}");
      // A test delivery now: the receiver's first line shows the chain works.
      client.send(
          HttpRequest.newBuilder(
                  URI.create(
                      notificationServiceUrl + "/notifications/endpoints/" + endpointId + "/test"))
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  private static String post(HttpClient client, String url, String token, String json)
      throws Exception {
    var response =
        client.send(
            HttpRequest.newBuilder(URI.create(url + "/notifications/endpoints"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "Subscribing failed: " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  private boolean verifies(String id, String timestamp, String signatures, byte[] body) {
    if (secret == null || id == null || timestamp == null || signatures == null) {
      return false;
    }
    if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] expected = mac.doFinal(body);
      for (String entry : signatures.split(" ")) {
        if (entry.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private void printMails() {
    int printed = 0;
    while (!Thread.currentThread().isInterrupted()) {
      var mails = smtp.received();
      for (; printed < mails.size(); printed++) {
        print(mails.get(printed));
      }
      try {
        Thread.sleep(Duration.ofMillis(500));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void print(MimeMessage message) {
    try {
      String text =
          message.getContent() instanceof Multipart multipart
              ? String.valueOf(multipart.getBodyPart(0).getContent())
              : String.valueOf(message.getContent());
      System.out.println(
          "[smtp-catcher] to "
              + message.getAllRecipients()[0]
              + ": "
              + message.getSubject()
              + "\n"
              + text.indent(4));
    } catch (Exception e) {
      System.out.println("[smtp-catcher] unreadable message: " + e);
    }
  }

  @Override
  public void close() {
    mailPrinter.interrupt();
    receiver.stop(0);
    TestSmtpServer.stopIfStarted();
  }
}
