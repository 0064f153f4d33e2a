package io.paybridge.simulator.customers;

import io.paybridge.simulator.internal.ApiException;
import io.paybridge.simulator.internal.Banks;
import io.paybridge.simulator.internal.Json;
import io.paybridge.simulator.internal.ResourceType;
import io.paybridge.simulator.internal.State;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Customers, their billing details and bank accounts (docs/gocardless/API.md §4.1–4.2): creation,
 * account details, payer name checks and disabling. HTTP is in {@link CustomersApi}.
 */
public final class Customers {
  private final State state;
  final ResourceType<Customer> customers;
  final ResourceType<CustomerBankAccount> bankAccounts;

  /**
   * Called when a bank account is disabled: its mandates are cancelled (set by the simulator
   * wiring).
   */
  private Consumer<CustomerBankAccount> onDisable = a -> {};

  public Customers(State state) {
    this.state = state;
    this.customers =
        new ResourceType<>(state, "customers", "customer", state.customers, c -> c.metadata);
    this.bankAccounts =
        new ResourceType<>(
            state,
            "customer_bank_accounts",
            "customer_bank_account",
            state.bankAccounts,
            a -> a.metadata);
  }

  public void onDisable(Consumer<CustomerBankAccount> action) {
    this.onDisable = action;
  }

  /** {@code POST /customer_bank_accounts/:id/actions/disable}: its mandates are cancelled. */
  public CustomerBankAccount disable(CustomerBankAccount a) {
    if (!a.enabled) {
      throw ApiException.invalidState(
          "disable_failed", "This bank account has already been disabled");
    }
    a.enabled = false;
    onDisable.accept(a);
    return a;
  }

  /** A bare customer, as a billing request creates one. */
  public Customer newCustomer(String organisationId) {
    Customer c = new Customer();
    c.id = state.ids.next("CU");
    c.createdAt = state.nowIso();
    c.organisationId = organisationId;
    return state.customers.add(c);
  }

  public CustomerBillingDetail newBillingDetail(Customer customer) {
    CustomerBillingDetail d = new CustomerBillingDetail();
    d.id = state.ids.next("CBD", 13);
    d.createdAt = state.nowIso();
    d.organisationId = customer.organisationId;
    d.customerId = customer.id;
    d.addressLine1 = customer.addressLine1;
    d.addressLine2 = customer.addressLine2;
    d.addressLine3 = customer.addressLine3;
    d.city = customer.city;
    d.region = customer.region;
    d.postalCode = customer.postalCode;
    d.countryCode = customer.countryCode;
    d.swedishIdentityNumber = customer.swedishIdentityNumber;
    d.danishIdentityNumber = customer.danishIdentityNumber;
    return state.billingDetails.add(d);
  }

  /** Applies customer fields present in {@code body} (create, update, collect_customer_details). */
  public static void applyCustomerFields(Customer c, JsonNode body, ApiException.Validation v) {
    Map<String, Consumer<String>> setters = new LinkedHashMap<>();
    setters.put("email", s -> c.email = s);
    setters.put("given_name", s -> c.givenName = s);
    setters.put("family_name", s -> c.familyName = s);
    setters.put("company_name", s -> c.companyName = s);
    setters.put("address_line1", s -> c.addressLine1 = s);
    setters.put("address_line2", s -> c.addressLine2 = s);
    setters.put("address_line3", s -> c.addressLine3 = s);
    setters.put("city", s -> c.city = s);
    setters.put("region", s -> c.region = s);
    setters.put("postal_code", s -> c.postalCode = s);
    setters.put("country_code", s -> c.countryCode = s);
    setters.put("language", s -> c.language = s);
    setters.put("phone_number", s -> c.phoneNumber = s);
    setters.put("danish_identity_number", s -> c.danishIdentityNumber = s);
    setters.put("swedish_identity_number", s -> c.swedishIdentityNumber = s);
    setters.forEach(
        (field, setter) -> {
          if (body.has(field)) {
            setter.accept(Json.text(body, field));
          }
        });
    if (c.email != null && !c.email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
      v.field("email", "is not a valid email address");
    }
    if (c.countryCode != null && !c.countryCode.matches("[A-Z]{2}")) {
      v.field("country_code", "is not a valid ISO 3166-1 alpha-2 country code");
    }
  }

  /**
   * Reads account details (local details or IBAN) into an unsaved bank account, recording field
   * errors on {@code v}; shared by {@code POST /customer_bank_accounts} and {@code
   * collect_bank_account}.
   */
  public CustomerBankAccount bankAccountFrom(
      JsonNode body, String envelope, ApiException.Validation v) {
    CustomerBankAccount a = new CustomerBankAccount();
    a.accountHolderName = Json.text(body, "account_holder_name");
    if (a.accountHolderName == null || a.accountHolderName.isBlank()) {
      v.field("account_holder_name", "can't be blank");
    }
    String iban = Json.text(body, "iban");
    String accountNumber = Json.text(body, "account_number");
    String branchCode = Json.text(body, "branch_code");
    String countryCode = Json.text(body, "country_code");
    if (iban != null) {
      String normalised = iban.replace(" ", "").toUpperCase(Locale.ROOT);
      if (!Banks.validIban(normalised)) {
        v.field("iban", "is invalid");
      } else {
        a.iban = normalised;
        countryCode = normalised.substring(0, 2);
        a.accountNumberEnding = normalised.substring(normalised.length() - 2);
      }
    } else {
      if (countryCode == null) {
        countryCode = "GB";
      }
      if (accountNumber == null) {
        v.field("account_number", "can't be blank");
      } else if (!accountNumber.matches("[0-9]+")) {
        v.field("account_number", "must be a number");
      } else if ("GB".equals(countryCode) && accountNumber.length() != 8) {
        v.field("account_number", "is the wrong length (should be 8 characters)");
      }
      String sortCode = branchCode == null ? null : branchCode.replace("-", "").replace(" ", "");
      if ("GB".equals(countryCode)) {
        if (sortCode == null) {
          v.field("branch_code", "can't be blank");
        } else if (!sortCode.matches("[0-9]+")) {
          v.field("branch_code", "must be a number");
        } else if (sortCode.length() != 6) {
          v.field("branch_code", "is the wrong length (should be 6 characters)");
        }
      }
      a.accountNumber = accountNumber;
      a.branchCode = sortCode;
      if (accountNumber != null && accountNumber.length() >= 2) {
        a.accountNumberEnding = accountNumber.substring(accountNumber.length() - 2);
      }
    }
    a.countryCode = countryCode;
    String currency = Json.text(body, "currency");
    a.currency = currency != null ? currency : Banks.currencyFor(countryCode);
    a.accountType = Json.text(body, "account_type");
    if (a.accountType != null && !"USD".equals(a.currency)) {
      v.field("account_type", "can only be set for USD bank accounts");
    }
    a.bankName = Banks.bankName(countryCode, a.branchCode, a.iban);
    Map<String, String> metadata = Json.metadata(body, null, v);
    if (metadata != null) {
      a.metadata = metadata;
    }
    return a;
  }

  /**
   * The customer's enabled bank account with the same details, or null. A UK IBAN and the sort code
   * and account number inside it are the same account.
   */
  public CustomerBankAccount duplicateOf(CustomerBankAccount a, Customer customer) {
    String key = accountKey(a);
    for (CustomerBankAccount existing :
        state.bankAccounts.list(x -> customer.id.equals(x.links.get("customer")) && x.enabled)) {
      if (key.equals(accountKey(existing))) {
        return existing;
      }
    }
    return null;
  }

  private static String accountKey(CustomerBankAccount a) {
    if (a.iban != null && a.iban.startsWith("GB") && a.iban.length() == 22) {
      return "GB|" + a.iban.substring(8, 14) + "|" + a.iban.substring(14);
    }
    if (a.iban != null) {
      return "IBAN|" + a.iban;
    }
    return a.countryCode + "|" + a.branchCode + "|" + a.accountNumber;
  }

  /** Saves a bank account read by {@link #bankAccountFrom} for a customer. */
  public CustomerBankAccount register(CustomerBankAccount a, Customer customer) {
    a.id = state.ids.next("BA");
    a.createdAt = state.nowIso();
    a.organisationId = customer.organisationId;
    a.links.put("customer", customer.id);
    a.bankAccountToken = "bat_" + java.util.UUID.randomUUID();
    if (a.payerNameVerificationResult == null) {
      String match = nameMatch(customer, a.accountHolderName);
      a.payerNameVerificationResult =
          "no_match".equals(match) ? "cannot_perform_verification" : match;
    }
    return state.bankAccounts.add(a);
  }

  /**
   * Payer name verification, simplified: {@code full} when the holder name is the customer's full
   * name, {@code close} when it shares a word with the customer's names, {@code no_match} when it
   * shares none, and {@code cannot_perform_verification} when the customer has no name yet.
   */
  public static String nameMatch(Customer customer, String holderName) {
    String names =
        String.join(
                " ",
                customer.givenName == null ? "" : customer.givenName,
                customer.familyName == null ? "" : customer.familyName,
                customer.companyName == null ? "" : customer.companyName)
            .trim()
            .toUpperCase(Locale.ROOT);
    if (names.isEmpty() || holderName == null) {
      return "cannot_perform_verification";
    }
    String holder = holderName.trim().toUpperCase(Locale.ROOT);
    String fullName =
        ((customer.givenName == null ? "" : customer.givenName)
                + " "
                + (customer.familyName == null ? "" : customer.familyName))
            .trim()
            .toUpperCase(Locale.ROOT);
    if (holder.equals(fullName)
        || (customer.companyName != null
            && holder.equals(customer.companyName.toUpperCase(Locale.ROOT)))) {
      return "full";
    }
    for (String word : holder.split("[^A-Z0-9]+")) {
      if (word.length() > 1 && (" " + names + " ").contains(" " + word + " ")) {
        return "close";
      }
    }
    return "no_match";
  }
}
