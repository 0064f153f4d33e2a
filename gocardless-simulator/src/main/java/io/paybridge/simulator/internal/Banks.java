package io.paybridge.simulator.internal;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * Fake bank reference data: bank names from sort codes/IBANs, currencies and schemes by country.
 */
public final class Banks {
  private static final Map<String, String> SORT_CODE_PREFIXES =
      Map.of(
          "20", "BARCLAYS BANK PLC",
          "40", "HSBC UK BANK PLC",
          "30", "LLOYDS BANK PLC",
          "77", "LLOYDS BANK PLC",
          "60", "NATIONAL WESTMINSTER BANK PLC",
          "04", "MONZO BANK LIMITED",
          "09", "SANTANDER UK PLC",
          "08", "THE CO-OPERATIVE BANK PLC");

  private Banks() {}

  public static String bankName(String countryCode, String branchCode, String iban) {
    if (branchCode != null && branchCode.length() >= 2) {
      return SORT_CODE_PREFIXES.getOrDefault(branchCode.substring(0, 2), "SIMULATED BANK PLC");
    }
    if (iban != null && iban.length() > 2) {
      return switch (iban.substring(0, 2).toUpperCase(Locale.ROOT)) {
        case "DE" -> "DEUTSCHE BANK AG";
        case "FR" -> "BNP PARIBAS";
        case "NL" -> "ING BANK N.V.";
        case "ES" -> "BANCO SANTANDER S.A.";
        case "IE" -> "BANK OF IRELAND";
        default -> "SIMULATED BANK";
      };
    }
    return countryCode == null ? "SIMULATED BANK" : "SIMULATED BANK " + countryCode;
  }

  public static String currencyFor(String countryCode) {
    if (countryCode == null) {
      return "GBP";
    }
    return switch (countryCode.toUpperCase(Locale.ROOT)) {
      case "GB" -> "GBP";
      case "SE" -> "SEK";
      case "DK" -> "DKK";
      case "AU" -> "AUD";
      case "NZ" -> "NZD";
      case "CA" -> "CAD";
      case "US" -> "USD";
      default -> "EUR";
    };
  }

  /** The Direct Debit scheme of a currency. */
  public static String schemeFor(String currency) {
    if (currency == null) {
      return "bacs";
    }
    return switch (currency) {
      case "EUR" -> "sepa_core";
      case "SEK" -> "autogiro";
      case "DKK" -> "betalingsservice";
      case "AUD" -> "becs";
      case "NZD" -> "becs_nz";
      case "CAD" -> "pad";
      case "USD" -> "ach";
      default -> "bacs";
    };
  }

  public static String currencyOfScheme(String scheme) {
    return switch (scheme) {
      case "sepa_core", "sepa_cor1", "sepa_credit_transfer", "sepa_instant_credit_transfer" ->
          "EUR";
      case "autogiro" -> "SEK";
      case "betalingsservice" -> "DKK";
      case "becs", "pay_to" -> "AUD";
      case "becs_nz" -> "NZD";
      case "pad" -> "CAD";
      case "ach" -> "USD";
      default -> "GBP";
    };
  }

  /**
   * Working days between payment submission and charge date, and minimum days ahead for a charge
   * date.
   */
  public static int leadDays(String scheme) {
    return switch (scheme) {
      case "bacs" -> 3;
      case "autogiro" -> 8;
      case "betalingsservice" -> 6;
      case "faster_payments", "sepa_credit_transfer", "sepa_instant_credit_transfer" -> 0;
      default -> 2;
    };
  }

  /**
   * Schemes whose mandates are submitted with their first payment rather than on their own
   * (docs/gocardless/API.md §4.3: ACH, BECS, BECS NZ, SEPA).
   */
  public static boolean submittedWithFirstPayment(String scheme) {
    return switch (scheme) {
      case "ach", "becs", "becs_nz", "sepa_core", "sepa_cor1" -> true;
      default -> false;
    };
  }

  /** Payment reference length limits per scheme (docs/gocardless/API.md §4.4); 0 = no limit. */
  public static int maxReferenceLength(String scheme) {
    return switch (scheme) {
      case "ach", "bacs" -> 10;
      case "autogiro" -> 11;
      case "becs", "betalingsservice" -> 30;
      case "becs_nz" -> 12;
      case "faster_payments", "pay_to" -> 18;
      case "sepa_core" -> 140;
      default -> 0;
    };
  }

  public static boolean validIban(String iban) {
    String s = iban.replace(" ", "").toUpperCase(Locale.ROOT);
    if (s.length() < 15 || s.length() > 34 || !s.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]+")) {
      return false;
    }
    String rearranged = s.substring(4) + s.substring(0, 4);
    StringBuilder digits = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }
}
