package io.paybridge.oauth.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestCredentialRedactionTest {

  @Test
  void masksTheCodeOfACallbackWhereverFrameworksPrintTheRequest() {
    // As Tomcat, Spring Security and the DispatcherServlet print it.
    assertThat(
            RequestCredentialRedaction.redact(
                "Securing GET /oauth/callback?code=Bb4x2bRZRTGN94fq&state=djF8N2Fm.bcPj"))
        .isEqualTo("Securing GET /oauth/callback?code=(redacted)&state=djF8N2Fm.bcPj");
    assertThat(
            RequestCredentialRedaction.redact(
                "Start processing with input [code=Bb4x2bRZRTGN94fq&state=djF8]"))
        .isEqualTo("Start processing with input [code=(redacted)&state=djF8]");
    assertThat(RequestCredentialRedaction.redact("GET \"/oauth/callback?state=s&code=abc\""))
        .isEqualTo("GET \"/oauth/callback?state=s&code=(redacted)\"");
  }

  @Test
  void masksBearerAndBasicCredentialsOfAuthorizationHeaders() {
    assertThat(
            RequestCredentialRedaction.redact(
                "Received [GET /merchants HTTP/1.1\r\nAuthorization: Bearer eyJraWQ.eyJzdWIi.sig\r\n"))
        .isEqualTo("Received [GET /merchants HTTP/1.1\r\nAuthorization: Bearer (redacted)\r\n");
    assertThat(RequestCredentialRedaction.redact("authorization: basic dXNlcjpwYXNz"))
        .isEqualTo("authorization: basic (redacted)");
  }

  @Test
  void leavesOtherTextAlone() {
    String text = "errorCode=invalid_grant status_code=400 reason.code=x outcome=connected";
    assertThat(RequestCredentialRedaction.redact(text)).isSameAs(text);
    assertThat(RequestCredentialRedaction.redact("code=(redacted)")).isEqualTo("code=(redacted)");
  }
}
