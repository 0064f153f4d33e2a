package io.paybridge.webhookingest.webhook;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The GoCardless webhook endpoint ({@code paybridge.webhooks.gocardless.*}).
 *
 * @param secrets the webhook endpoint secrets that sign deliveries; several at once while a secret
 *     is rotated (a delivery signed with any of them is accepted). From the secret store, never
 *     committed.
 * @param maxBodySize bodies above this size are refused with 413 without being read
 */
@ConfigurationProperties("paybridge.webhooks.gocardless")
public record WebhookProperties(
    @DefaultValue List<String> secrets, @DefaultValue("1MB") DataSize maxBodySize) {

  public WebhookProperties {
    secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
  }
}
