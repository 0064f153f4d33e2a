package io.paybridge.notification.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;

/**
 * The facts a person must act on, and their emails: plain text and HTML from {@code
 * templates/email/<type>.txt|.html} (first line of the text template: {@code Subject: ...}),
 * placeholders {@code {{field}}} filled from the fact's data (HTML-escaped in the HTML part).
 */
public final class EmailTemplates {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");
  private static final Map<String, String[]> CACHE = new HashMap<>();

  private EmailTemplates() {}

  /**
   * Whether a fact of {@code type} with {@code data} calls for an email: a payment failed that
   * GoCardless will not retry, a mandate cancelled or expired, a merchant whose verification needs
   * action, a merchant disconnected, an endpoint disabled.
   */
  public static boolean applies(String type, JsonNode data) {
    return switch (type) {
      case "PaymentFailed" ->
          data.path("willAttemptRetry").isBoolean() && !data.path("willAttemptRetry").asBoolean();
      case "MandateCancelled", "MandateExpired", "MerchantDisconnected", "EndpointDisabled" -> true;
      case "MerchantVerificationChanged" ->
          "action_required".equals(data.path("verificationStatus").asString(null));
      default -> false;
    };
  }

  /** The rendered email of a fact for which {@link #applies} holds. */
  public static Rendered render(String type, JsonNode data) {
    String[] templates = templates(type);
    Map<String, String> values = values(data);
    String text = fill(templates[0], values, false);
    int newline = text.indexOf('\n');
    String subject = text.substring("Subject: ".length(), newline).strip();
    return new Rendered(
        subject, text.substring(newline + 1).stripLeading(), fill(templates[1], values, true));
  }

  /** An email ready to send. */
  public record Rendered(String subject, String text, String html) {}

  private static Map<String, String> values(JsonNode data) {
    var values = new HashMap<String, String>();
    data.properties()
        .forEach(
            field ->
                values.put(
                    field.getKey(), field.getValue().isNull() ? "" : field.getValue().asString()));
    if (data.path("amount").isNumber() && data.hasNonNull("currency")) {
      // Amounts are minor units; every currency GoCardless collects in has two decimals.
      values.put(
          "amountFormatted",
          BigDecimal.valueOf(data.path("amount").asLong(), 2).toPlainString()
              + " "
              + data.path("currency").asString());
    }
    return values;
  }

  private static String fill(String template, Map<String, String> values, boolean html) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    var out = new StringBuilder();
    while (matcher.find()) {
      String value = values.getOrDefault(matcher.group(1), "");
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(html ? HtmlUtils.htmlEscape(value) : value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static synchronized String[] templates(String type) {
    return CACHE.computeIfAbsent(type, t -> new String[] {read(t + ".txt"), read(t + ".html")});
  }

  private static String read(String name) {
    try (InputStream in = EmailTemplates.class.getResourceAsStream("/templates/email/" + name)) {
      if (in == null) {
        throw new IllegalStateException("No email template " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
