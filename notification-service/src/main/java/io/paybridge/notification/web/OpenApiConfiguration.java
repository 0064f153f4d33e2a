package io.paybridge.notification.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI notificationServiceApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("PayBridge notification-service")
                .version("v1")
                .description(
                    "Subscribe your team's systems to PayBridge's facts: signed webhooks (Standard"
                        + " Webhooks) and emails. Every call needs a JWT of the company IdP with a"
                        + " team claim; errors are RFC 9457 problem+json with a requestId."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
