package io.paybridge.platform.web;

import java.net.URI;
import org.springframework.http.ProblemDetail;

/**
 * One entry of a service's catalogue of problems (RFC 9457): a stable type URI that clients and
 * dashboards may rely on, its HTTP status and a short title. Services list theirs as an enum whose
 * constants each hold a {@link Definition}.
 */
public interface ProblemType {

  /** The base of every PayBridge problem type URI; documented in docs/problems.md. */
  String BASE = "https://paybridge.io/problems/";

  Definition definition();

  default int status() {
    return definition().status();
  }

  default URI type() {
    return definition().type();
  }

  default String title() {
    return definition().title();
  }

  /**
   * The problem+json body of this problem for the request at {@code path} with id {@code
   * requestId}: what the servlet ({@link Problems}) and the WebFlux stack both answer.
   */
  default ProblemDetail body(String detail, String path, String requestId) {
    var body = ProblemDetail.forStatus(status());
    body.setType(type());
    body.setTitle(title());
    body.setDetail(detail);
    body.setInstance(URI.create(path));
    body.setProperty("requestId", requestId);
    return body;
  }

  /** What a problem type is: status, type URI ({@link #BASE} + slug) and title. */
  record Definition(int status, URI type, String title) {

    public static Definition of(int status, String slug, String title) {
      return new Definition(status, URI.create(BASE + slug), title);
    }
  }
}
