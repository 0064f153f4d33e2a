package io.paybridge.platform.web;

import java.net.URI;

/**
 * One entry of a service's catalogue of problems (RFC 9457): a stable type URI that clients and
 * dashboards may rely on, its HTTP status and a short title. Services list theirs as an enum.
 */
public interface ProblemType {

  /** The base of every PayBridge problem type URI; documented in docs/problems.md. */
  String BASE = "https://paybridge.io/problems/";

  int status();

  URI type();

  String title();

  /** The type URI of a problem named {@code slug}, e.g. {@code invalid-webhook-signature}. */
  static URI typeNamed(String slug) {
    return URI.create(BASE + slug);
  }
}
