package io.paybridge.simulator.webhooks;

import io.paybridge.simulator.internal.ApiResponse;
import io.paybridge.simulator.internal.Pagination;
import io.paybridge.simulator.internal.Router;
import io.paybridge.simulator.internal.State;

/** {@code GET /webhooks}, {@code GET /webhooks/:id}, {@code POST /webhooks/:id/actions/retry}. */
public final class WebhooksApi {
  private final State state;
  private final WebhookSender sender;

  public WebhooksApi(State state, WebhookSender sender) {
    this.state = state;
    this.sender = sender;
  }

  public void routes(Router router) {
    router.add(
        "GET",
        "/webhooks",
        r -> {
          String successful = r.queryParam("successful");
          String isTest = r.queryParam("is_test");
          return ApiResponse.of(
              200,
              Pagination.page(
                  "webhooks",
                  state.webhooks.list(
                      w ->
                          w.organisationId.equals(r.organisationId())
                              && (successful == null
                                  || Boolean.parseBoolean(successful) == w.successful)
                              && (isTest == null || Boolean.parseBoolean(isTest) == w.isTest)
                              && Pagination.inRange(r, "created_at", w.createdAt)),
                  r,
                  w -> w));
        });
    router.add(
        "GET",
        "/webhooks/:identity",
        r -> ApiResponse.ok("webhooks", state.webhooks.find(r.organisationId(), r.id())));
    router.add(
        "POST",
        "/webhooks/:identity/actions/retry",
        r ->
            ApiResponse.ok(
                "webhooks", sender.resend(state.webhooks.find(r.organisationId(), r.id()))));
  }
}
