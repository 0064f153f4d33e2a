package io.paybridge.notification.email;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Emails to teams ({@code paybridge.notification.email.*}); the SMTP server itself is Spring Boot's
 * {@code spring.mail.*} (host, port, username, password, properties).
 *
 * @param from the sender address (default {@code notifications@paybridge.local})
 */
@ConfigurationProperties("paybridge.notification.email")
public record EmailProperties(@DefaultValue("notifications@paybridge.local") String from) {}
