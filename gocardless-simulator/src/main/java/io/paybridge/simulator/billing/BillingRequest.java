package io.paybridge.simulator.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.paybridge.simulator.internal.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** A billing request ({@code BRQ...}) with its actions (docs/gocardless/API.md §3.3–3.4). */
public class BillingRequest extends Resource {
  public String status = "pending";
  public MandateRequest mandateRequest;
  public PaymentRequest paymentRequest;
  public Map<String, Object> subscriptionRequest;
  public Object instalmentScheduleRequest;
  public Map<String, String> metadata = new LinkedHashMap<>();
  public boolean fallbackEnabled;
  public boolean fallbackOccurred;
  public String purposeCode;
  public String paymentPurposeCode;
  public String paymentContextCode;
  public List<Action> actions = new ArrayList<>();

  /**
   * Filled from the linked customer, billing detail and bank account each time the request is
   * rendered.
   */
  public Map<String, Object> resources = new LinkedHashMap<>();

  public Map<String, String> links = new LinkedHashMap<>();

  @JsonIgnore public String institution;

  /** The {@code subscription_request} as given, started on the mandate at fulfilment. */
  @JsonIgnore public JsonNode subscriptionRequestBody;

  /** Created with an app's token (app fees allowed on what it creates). */
  @JsonIgnore public boolean viaApp;

  public Action action(String type) {
    for (Action action : actions) {
      if (action.type.equals(type)) {
        return action;
      }
    }
    return null;
  }

  public boolean isPending(String type) {
    Action action = action(type);
    return action != null && "pending".equals(action.status);
  }

  public boolean isFinal() {
    return "fulfilled".equals(status) || "cancelled".equals(status);
  }

  /** The mandate part of a billing request. */
  public static class MandateRequest {
    public String currency;
    public String scheme;
    public String verify = "recommended";
    public String description;
    public String reference;
    public Map<String, String> metadata = new LinkedHashMap<>();
    public Map<String, String> links = new LinkedHashMap<>();
    public JsonNode constraints;
    public String authorisationSource;
    public String consentType;
    public String fundsSettlement = "managed";
    public boolean sweeping;
    public boolean payerRequestedDualSignature;
  }

  /** The instant payment part of a billing request. */
  public static class PaymentRequest {
    public long amount;
    public Long appFee;
    public String currency;
    public String description;
    public String scheme;
    public Map<String, String> metadata = new LinkedHashMap<>();
    public String reference;
    public String fundsSettlement = "managed";
    public Map<String, String> links = new LinkedHashMap<>();

    @JsonIgnore public boolean retryIfPossible;
  }

  /**
   * One step the payer (or integrator) completes. Type-specific fields appear only on their action.
   */
  public static class Action {
    public String type;
    public boolean required = true;
    public List<String> completesActions = new ArrayList<>();
    public List<String> requiresActions = new ArrayList<>();
    public String status = "pending";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public List<String> availableCurrencies;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Map<String, Object> collectCustomerDetails;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Map<String, String> bankAuthorisation;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String institutionGuessStatus;

    public Action() {}

    public Action(String type, List<String> requires, List<String> completes) {
      this.type = type;
      this.requiresActions = new ArrayList<>(requires);
      this.completesActions = new ArrayList<>(completes);
    }
  }
}
