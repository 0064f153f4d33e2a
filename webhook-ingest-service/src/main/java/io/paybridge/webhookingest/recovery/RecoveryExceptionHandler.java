package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.web.CommonApiExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The operator API's failures as problem+json: an unreadable body or a request record refusing its
 * values is 400 {@code invalid-request} saying why; anything unexpected 500. First, ahead of Spring
 * Boot's generic problem details ({@code spring.mvc.problemdetails.enabled}), which would not say
 * why.
 */
@RestControllerAdvice(assignableTypes = RecoveryController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
@RecoveryEnabled
class RecoveryExceptionHandler extends CommonApiExceptionHandler {}
