package io.paybridge.platform.web.logging;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The log guard ({@code paybridge.logging.data-guard.*}, {@link DataLogGuard}).
 *
 * @param enabled whether events below INFO of the {@code loggers} are dropped; turning it off lets
 *     those libraries log the data they move (payers' details included) at DEBUG and TRACE
 * @param loggers logger name prefixes of the libraries that log the data they move
 */
@ConfigurationProperties("paybridge.logging.data-guard")
public record DataLogGuardProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue({
          "org.postgresql",
          "io.debezium",
          "org.springframework.jdbc",
          "org.apache.kafka",
          "org.springframework.kafka",
          "org.apache.coyote",
          "org.apache.tomcat",
          "org.apache.catalina",
          "org.eclipse.jetty",
          "org.springframework.web",
          "org.springframework.http",
          "org.springframework.core.codec",
          "reactor.netty",
          "okhttp3",
          "jdk.internal.httpclient",
          "sun.net.www"
        })
        List<String> loggers) {}
