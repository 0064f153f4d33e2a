package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MerchantExpectationsTest {

  @Test
  void companyNamesThatDifferOnlyInFormAreTheSame() {
    var expected = new MerchantExpectations(null, "Yoga Studio Ltd");

    assertThat(expected.mismatches(null, "YOGA-STUDIO, Limited.")).isEmpty();
    assertThat(expected.mismatches(null, "  yoga   studio ")).isEmpty();
    assertThat(expected.mismatches(null, "YogaStudio Ltd")).isEmpty();
    assertThat(new MerchantExpectations(null, "Café & Co Pty Ltd").mismatches(null, "cafe and"))
        .isEmpty();
  }

  @Test
  void anotherCompanyOrNoNameIsAMismatch() {
    var expected = new MerchantExpectations(null, "Yoga Studio Ltd");

    assertThat(expected.mismatches(null, "Yoga Studios Ltd"))
        .containsExactly(MerchantExpectations.COMPANY_NAME);
    assertThat(expected.mismatches(null, "Mallory Trading"))
        .containsExactly(MerchantExpectations.COMPANY_NAME);
    assertThat(expected.mismatches(null, null)).containsExactly(MerchantExpectations.COMPANY_NAME);
    // A legal form alone is a name, not nothing.
    assertThat(new MerchantExpectations(null, "Limited").mismatches(null, "Ltd"))
        .containsExactly(MerchantExpectations.COMPANY_NAME);
  }

  @Test
  void emailsAreComparedWithoutRegardToCaseAndAMissingOneIsAMismatch() {
    var expected = new MerchantExpectations("Owner@Yoga.test", null);

    assertThat(expected.mismatches("owner@yoga.TEST", "anything")).isEmpty();
    assertThat(expected.mismatches("other@yoga.test", "anything"))
        .containsExactly(MerchantExpectations.EMAIL);
    assertThat(expected.mismatches(null, "anything")).containsExactly(MerchantExpectations.EMAIL);
  }

  @Test
  void nothingExpectedNothingCompared() {
    assertThat(new MerchantExpectations(" ", null).mismatches("a@b.test", "Anything")).isEmpty();
  }
}
