package io.paybridge.webhookingest.recovery;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** The bean exists only while {@code paybridge.recovery.enabled} is {@code true}. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnProperty(prefix = "paybridge.recovery", name = "enabled", havingValue = "true")
@interface RecoveryEnabled {}
