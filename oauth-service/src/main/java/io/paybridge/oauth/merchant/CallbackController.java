package io.paybridge.oauth.merchant;

import io.paybridge.platform.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** Where GoCardless sends the merchant's browser back (public: the state is the credential). */
@RestController
@Tag(name = "oauth", description = "Reached by the merchant's browser")
class CallbackController {

  private final ConnectService connect;

  CallbackController(ConnectService connect) {
    this.connect = connect;
  }

  @GetMapping("/oauth/callback")
  @Operation(
      summary = "GoCardless OAuth redirect target",
      description =
          "Validates the state, exchanges the code once, and redirects (303) to the team's return"
              + " page with merchant_id, outcome (connected, needs_review, failed) and reason. A"
              + " refused state answers 400; an address with too many refused callbacks 429.")
  ResponseEntity<Void> callback(@ParameterObject CallbackQuery query, HttpServletRequest request) {
    String target =
        connect.callback(
            new ConnectService.CallbackParameters(
                query.state(),
                query.code(),
                query.error(),
                request.getRemoteAddr(),
                RequestIds.of(request)));
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .location(URI.create(target))
        .cacheControl(CacheControl.noStore())
        .build();
  }

  /**
   * GoCardless's redirect parameters, bound as one object: Spring MVC logs a handler's arguments at
   * TRACE, and the code is a credential until it is exchanged.
   *
   * @param state the state this service issued
   * @param code the authorisation code (on consent)
   * @param error the OAuth error (on refusal)
   */
  record CallbackQuery(String state, String code, String error) {
    @Override
    public String toString() {
      return "CallbackQuery[code="
          + (code == null ? "absent" : "(redacted)")
          + ", error="
          + error
          + "]";
    }
  }

  /** The return page of teams that configured none of their own. */
  @GetMapping(value = "/oauth/complete", produces = MediaType.TEXT_HTML_VALUE)
  @Operation(summary = "Default return page after a connection")
  String complete(
      @RequestParam(name = "merchant_id", required = false) String merchantId,
      @RequestParam(required = false) String outcome,
      @RequestParam(required = false) String reason) {
    String heading =
        switch (outcome == null ? "" : outcome) {
          case "connected" -> "Your GoCardless account is connected";
          case "needs_review" -> "Your GoCardless account is connected, pending a final check";
          default -> "The connection did not complete";
        };
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>PayBridge</title></head><body>"
        + "<h1>"
        + heading
        + "</h1><p>Merchant: <code id=\"merchant\">"
        + HtmlUtils.htmlEscape(merchantId == null ? "" : merchantId)
        + "</code></p><p>Outcome: <code id=\"outcome\">"
        + HtmlUtils.htmlEscape(outcome == null ? "" : outcome)
        + "</code>"
        + (reason == null
            ? ""
            : " (<code id=\"reason\">" + HtmlUtils.htmlEscape(reason) + "</code>)")
        + "</p><p>You can close this window.</p></body></html>";
  }
}
