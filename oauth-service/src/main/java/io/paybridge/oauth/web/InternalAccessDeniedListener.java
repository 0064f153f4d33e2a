package io.paybridge.oauth.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told about every authenticated request that security refused for lack of a scope, so that
 * refusals of the token endpoint reach the audit trail too.
 */
public interface InternalAccessDeniedListener {

  void denied(HttpServletRequest request);
}
