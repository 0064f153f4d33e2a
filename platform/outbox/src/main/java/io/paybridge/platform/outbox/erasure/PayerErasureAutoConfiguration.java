package io.paybridge.platform.outbox.erasure;

import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code payers.erasure} consumer of a service that declares a {@link PayerErasureApplier}
 * bean; a service without one does not consume the topic.
 */
@AutoConfiguration(afterName = "io.paybridge.platform.outbox.OutboxAutoConfiguration")
@ConditionalOnBean({PayerErasureApplier.class, IdempotentConsumer.class, OutboxWriter.class})
public class PayerErasureAutoConfiguration {

  @Bean
  PayerErasureListener payerErasureListener(
      IdempotentConsumer idempotent,
      PayerErasureApplier applier,
      ObjectProvider<ErasureAcknowledgements> acknowledgements,
      OutboxWriter outbox,
      ObjectMapper mapper,
      Clock clock) {
    return new PayerErasureListener(
        idempotent, applier, acknowledgements.getIfAvailable(), outbox, mapper, clock);
  }
}
