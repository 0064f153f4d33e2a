package io.paybridge.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token (the
 * gateway sets one), else a new UUID. It is echoed in the response header, put in the logging MDC
 * and carried by every problem body, so that a caller's report can be found in the logs.
 */
public class RequestIds extends OncePerRequestFilter {

  public static final String HEADER = RequestId.HEADER;
  private static final String ATTRIBUTE = RequestIds.class.getName();

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // An id that could forge log lines is replaced rather than echoed.
    String id = RequestId.acceptOrNew(request.getHeader(HEADER));
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    MDC.put("requestId", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
    }
  }

  /** The id of the current request (a new one if the filter did not run). */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id != null ? id.toString() : RequestId.newId();
  }
}
