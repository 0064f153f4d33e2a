package io.paybridge.oauth.merchant;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a team expects the connecting organisation to be (the values it also pre-filled GoCardless's
 * form with). GoCardless cannot bind a link to a person, so this comparison is what catches a link
 * used by someone else: a difference holds the connection for the team's review.
 *
 * @param email the organisation's email as the team knows it; compared without regard to case
 * @param companyName compared after normalising case, accents, punctuation, spacing and legal-form
 *     suffixes ("Yoga-Studio Limited" = "yoga studio ltd")
 */
record MerchantExpectations(String email, String companyName) {

  static final String EMAIL = "email";
  static final String COMPANY_NAME = "company_name";

  /** Legal forms that people write or leave out at will; dropped from the end of a name. */
  private static final Set<String> LEGAL_FORMS =
      Set.of(
          "ltd",
          "limited",
          "plc",
          "llp",
          "llc",
          "lp",
          "inc",
          "incorporated",
          "corp",
          "corporation",
          "co",
          "company",
          "gmbh",
          "ag",
          "sa",
          "sas",
          "sarl",
          "bv",
          "nv",
          "pty",
          "srl",
          "spa");

  MerchantExpectations {
    email = blankToNull(email);
    companyName = blankToNull(companyName);
  }

  /**
   * The fields whose received value differs from the expected one; a field the team did not give is
   * not compared. A missing received value is a difference: what cannot be compared is held.
   */
  List<String> mismatches(String receivedEmail, String receivedCompanyName) {
    var mismatches = new ArrayList<String>();
    if (companyName != null
        && (receivedCompanyName == null
            || !normalisedCompany(companyName).equals(normalisedCompany(receivedCompanyName)))) {
      mismatches.add(COMPANY_NAME);
    }
    if (email != null
        && (receivedEmail == null || !email.trim().equalsIgnoreCase(receivedEmail.trim()))) {
      mismatches.add(EMAIL);
    }
    return List.copyOf(mismatches);
  }

  static String normalisedCompany(String name) {
    String plain =
        Normalizer.normalize(name, Normalizer.Form.NFKD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replace("&", " and ");
    var words =
        new ArrayList<>(Arrays.asList(plain.replaceAll("[^\\p{L}\\p{N}]+", " ").trim().split(" ")));
    // A name made only of a legal form keeps its last word.
    while (words.size() > 1 && LEGAL_FORMS.contains(words.getLast())) {
      words.removeLast();
    }
    // Without spaces: "YogaStudio" and "Yoga Studio" are the same name.
    return String.join("", words);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
