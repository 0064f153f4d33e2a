package io.paybridge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.gateway.support.GatewayHarness;
import io.paybridge.platform.testsupport.http.Http;
import org.junit.jupiter.api.Test;

/**
 * Operators' data-protection paths go to billing-service: an erasure needs {@code
 * operations:write}, its status {@code operations:read}, and a payer's export, which shows personal
 * data, {@code operations:write} although it is a GET.
 */
class PayerOperationsRouteIT extends GatewayHarness {

  @Test
  void erasureAndExportNeedTheWriteScopeAndStatusTheReadScope() {
    String reader = teamToken("operations", "operations:read");
    String writer = teamToken("operations", "operations:read", "operations:write");

    var refusedErasure = Http.postJson(url("/operations/payers/CU123/erasure"), reader, "");
    var refusedExport = Http.get(url("/operations/payers/CU123/export"), reader);
    assertThat(refusedErasure.status()).isEqualTo(403);
    assertThat(refusedErasure.json().path("detail").asString()).contains("operations:write");
    assertThat(refusedExport.status()).isEqualTo(403);
    assertThat(refusedExport.json().path("detail").asString()).contains("operations:write");

    var status = Http.get(url("/operations/erasures/7f1d2c3b-0000-4000-8000-000000000001"), reader);
    var erasure = Http.postJson(url("/operations/payers/CU123/erasure"), writer, "");
    var export = Http.get(url("/operations/payers/CU123/export"), writer);

    assertThat(status.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(erasure.json().path("service").asString()).isEqualTo("billing-service");
    assertThat(erasure.json().path("method").asString()).isEqualTo("POST");
    // The export is joined by the gateway, billing-service's part first (PayerExportIT).
    assertThat(export.json().path("services").path("billing-service").path("service").asString())
        .isEqualTo("billing-service");
    // The refused ones never reached it; the three allowed did.
    assertThat(BILLING.received())
        .filteredOn(r -> r.path().startsWith("/operations/"))
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "GET /operations/erasures/7f1d2c3b-0000-4000-8000-000000000001",
            "POST /operations/payers/CU123/erasure",
            "GET /operations/payers/CU123/export");
  }
}
