package io.paybridge.simulator.webhooks;

import io.paybridge.simulator.internal.Idempotency;
import io.paybridge.simulator.internal.ResourceApi;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;

/** {@code GET /webhooks}, {@code GET /webhooks/:id}, {@code POST /webhooks/:id/actions/retry}. */
public final class WebhooksApi {
  private final ResourceApi<Webhook> api;

  public WebhooksApi(State state, WebhookSender sender) {
    this.api =
        ResourceApi.of(new ResourceType<>(state, "webhooks", "webhook", state.webhooks, w -> null))
            .filter("successful", (w, value) -> Boolean.parseBoolean(value) == w.successful)
            .filter("is_test", (w, value) -> Boolean.parseBoolean(value) == w.isTest)
            .action("retry", (w, r) -> sender.resend(w));
  }

  public void routes(Router router, Idempotency idempotency) {
    api.routes(router, idempotency);
  }
}
