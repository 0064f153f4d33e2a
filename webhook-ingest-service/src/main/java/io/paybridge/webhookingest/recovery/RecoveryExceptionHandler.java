package io.paybridge.webhookingest.recovery;

import io.paybridge.platform.web.CommonApiExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The operator API's failures as problem+json: an unreadable body or a request record refusing its
 * values is 400 {@code invalid-request} saying why; anything unexpected 500.
 */
@RestControllerAdvice(assignableTypes = RecoveryController.class)
@RecoveryEnabled
class RecoveryExceptionHandler extends CommonApiExceptionHandler {}
