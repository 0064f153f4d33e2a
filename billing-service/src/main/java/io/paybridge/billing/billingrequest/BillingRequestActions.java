package io.paybridge.billing.billingrequest;

import com.gocardless.GoCardlessClient;
import com.gocardless.resources.BillingRequest;
import io.paybridge.billing.merchant.ResourceNotFoundException;
import java.util.Optional;
import java.util.Set;

/**
 * GoCardless's billing request actions by the API's path names ({@code select-institution}, ...),
 * except the payer's own ({@link #PAYER_ONLY}).
 */
final class BillingRequestActions {

  static final Set<String> NAMES =
      Set.of(
          "collect-customer-details",
          "select-institution",
          "fulfil",
          "notify",
          "choose-currency",
          "fallback",
          "cancel");

  /**
   * The payer's own steps: giving their bank account and confirming the mandate or payment (their
   * consent). They happen only on GoCardless's hosted page (a billing request flow), never through
   * PayBridge's API, so that PayBridge never handles full bank details and a team cannot consent
   * for a payer (docs/psd2.md).
   */
  static final Set<String> PAYER_ONLY = Set.of("collect-bank-account", "confirm-payer-details");

  private BillingRequestActions() {}

  static BillingRequest run(
      GoCardlessClient c, String id, String action, BillingRequestAction body) {
    var b = body == null ? BillingRequestAction.NONE : body;
    var requests = c.billingRequests();
    return switch (action) {
      case "collect-customer-details" -> {
        var call = requests.collectCustomerDetails(id);
        if (b.customer() != null) {
          Optional.ofNullable(b.customer().givenName()).ifPresent(call::withCustomerGivenName);
          Optional.ofNullable(b.customer().familyName()).ifPresent(call::withCustomerFamilyName);
          Optional.ofNullable(b.customer().companyName()).ifPresent(call::withCustomerCompanyName);
          Optional.ofNullable(b.customer().email()).ifPresent(call::withCustomerEmail);
        }
        if (b.billingDetail() != null) {
          Optional.ofNullable(b.billingDetail().addressLine1())
              .ifPresent(call::withCustomerBillingDetailAddressLine1);
          Optional.ofNullable(b.billingDetail().city())
              .ifPresent(call::withCustomerBillingDetailCity);
          Optional.ofNullable(b.billingDetail().postalCode())
              .ifPresent(call::withCustomerBillingDetailPostalCode);
          Optional.ofNullable(b.billingDetail().countryCode())
              .ifPresent(call::withCustomerBillingDetailCountryCode);
        }
        yield call.execute();
      }
      case "select-institution" -> {
        var call = requests.selectInstitution(id);
        Optional.ofNullable(b.institution()).ifPresent(call::withInstitution);
        Optional.ofNullable(b.countryCode()).ifPresent(call::withCountryCode);
        yield call.execute();
      }
      case "fulfil" -> requests.fulfil(id).execute();
      case "notify" -> {
        var call = requests.notify(id);
        Optional.ofNullable(b.notificationType()).ifPresent(call::withNotificationType);
        Optional.ofNullable(b.redirectUri()).ifPresent(call::withRedirectUri);
        yield call.execute();
      }
      case "choose-currency" -> {
        var call = requests.chooseCurrency(id);
        Optional.ofNullable(b.currency()).ifPresent(call::withCurrency);
        yield call.execute();
      }
      case "fallback" -> requests.fallback(id).execute();
      case "cancel" -> requests.cancel(id).execute();
      default -> throw new ResourceNotFoundException("billing request action", action);
    };
  }
}
