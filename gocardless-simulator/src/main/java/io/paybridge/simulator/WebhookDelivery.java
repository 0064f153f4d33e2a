package io.paybridge.simulator;

/**
 * One webhook in the delivery log, as the simulator last tried to deliver it.
 *
 * @param id {@code WB...} (also {@code meta.webhook_id} in the body)
 * @param organisationId the organisation whose events it carries
 * @param createdAt ISO timestamp
 * @param url where it was last sent (null if no endpoint was configured)
 * @param body the exact body bytes that were signed, as UTF-8
 * @param signature the {@code Webhook-Signature} header of the last attempt (null before the first
 *     attempt)
 * @param responseCode HTTP status of the last attempt (null on timeout or connection error)
 * @param successful true once an attempt got a 2xx
 * @param attempts attempts so far
 * @param retrying true while another automatic attempt is scheduled
 * @param lastError the last attempt's I/O error, if any
 */
public record WebhookDelivery(
    String id,
    String organisationId,
    String createdAt,
    String url,
    String body,
    String signature,
    Integer responseCode,
    boolean successful,
    int attempts,
    boolean retrying,
    String lastError) {}
