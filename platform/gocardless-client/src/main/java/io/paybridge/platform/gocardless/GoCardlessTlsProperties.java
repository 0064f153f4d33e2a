package io.paybridge.platform.gocardless;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TLS of the calls to GoCardless ({@code paybridge.gocardless.tls.*}). GoCardless's API is https
 * with publicly trusted certificates, so nothing is needed by default; a bundle is for an egress
 * proxy that re-signs TLS with the company's own CA.
 *
 * @param bundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>...})
 *     whose trust material replaces the JVM's default trust for every call to GoCardless; unset:
 *     the JVM's default trust
 */
@ConfigurationProperties("paybridge.gocardless.tls")
public record GoCardlessTlsProperties(String bundle) {}
