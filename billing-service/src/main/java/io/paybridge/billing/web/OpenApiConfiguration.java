package io.paybridge.billing.web;

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
  OpenAPI billingServiceApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("PayBridge billing-service")
                .version("v1")
                .description(
                    "Take payments through GoCardless for your team's connected merchants: billing"
                        + " requests, flows, mandates, payments. Every call needs a JWT with a team claim"
                        + " and payments:read or payments:write; every amount is in minor units with its"
                        + " currency; creates need an Idempotency-Key header; errors are RFC 9457"
                        + " problem+json with a requestId."))
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
