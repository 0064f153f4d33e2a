package io.paybridge.oauth.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.oauth.support.IntegrationHarness;
import io.paybridge.platform.testsupport.http.Http;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The evidence of refused callbacks is kept for its retention period and up to its cap. */
class CallbackRejectionRetentionIT extends IntegrationHarness {

  @Autowired CallbackRefusals refusals;
  @Autowired ConnectProperties properties;

  @Test
  void refusedCallbacksOlderThanTheRetentionOrBeyondTheCapAreDeletedNewestKept() throws Exception {
    int cap = properties.refusedCallbacks().maxRecorded();
    jdbc.update(
        "insert into oauth_callback_rejection (reason, remote_addr, received_at)"
            + " values ('forged', '192.0.2.1', clock_timestamp() - interval '31 days')");
    // More than the cap, all within the retention period, older than anything the suite records.
    jdbc.update(
        "insert into oauth_callback_rejection (reason, remote_addr, received_at)"
            + " select 'forged', '192.0.2.2', clock_timestamp() - interval '1 day' - n * interval '1 s'"
            + " from generate_series(1, ?) n",
        cap + 50);
    var fresh =
        Http.getFrom(
            InetAddress.getByName("127.0.0.4"), url("/oauth/callback?code=x&state=not-a-state"));
    assertThat(fresh.status()).isEqualTo(400);

    refusals.prune();

    assertThat(count("remote_addr = '192.0.2.1'")).isZero();
    assertThat(count("true")).isEqualTo(cap);
    assertThat(count("remote_addr = '127.0.0.4'")).isEqualTo(1);
  }

  private int count(String where) {
    return jdbc.queryForObject(
        "select count(*) from oauth_callback_rejection where " + where, Integer.class);
  }
}
