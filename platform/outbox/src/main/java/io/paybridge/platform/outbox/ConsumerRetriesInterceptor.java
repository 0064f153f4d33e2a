package io.paybridge.platform.outbox;

import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CompositeBatchInterceptor;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.function.SingletonSupplier;

/**
 * Tells {@link ConsumerRetries} when a record has been applied, so that a record retried until its
 * dependency came back stops counting as stuck. The error handler sees failures only; success is
 * seen here, after the listener returned.
 */
final class ConsumerRetriesInterceptor implements RecordInterceptor<Object, Object> {

  private final Supplier<ConsumerRetries> retries;

  ConsumerRetriesInterceptor(Supplier<ConsumerRetries> retries) {
    this.retries = retries;
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    return record;
  }

  @Override
  public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    ConsumerRetries tracker = retries.get();
    if (!tracker.idle()) {
      tracker.succeeded(ConsumerErrorHandler.groupOf(consumer, null), record);
    }
  }

  /** The same for batch listeners: every record of a batch the listener returned from. */
  static final class Batch implements BatchInterceptor<Object, Object> {

    private final Supplier<ConsumerRetries> retries;

    Batch(Supplier<ConsumerRetries> retries) {
      this.retries = retries;
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(
        ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
      return records;
    }

    @Override
    public void success(
        ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
      ConsumerRetries tracker = retries.get();
      if (!tracker.idle()) {
        String group = ConsumerErrorHandler.groupOf(consumer, null);
        records.forEach(record -> tracker.succeeded(group, record));
      }
    }
  }

  /**
   * Adds the interceptors to every listener container factory, next to the ones the service may
   * have set (Boot sets a single {@code RecordInterceptor} or {@code BatchInterceptor} bean;
   * defining a second bean would silently disable both).
   */
  static final class Installer implements BeanPostProcessor {

    private final Supplier<ConsumerRetries> retries;

    Installer(ObjectProvider<ConsumerRetries> retries) {
      this.retries = SingletonSupplier.of(retries::getObject);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName)
        throws BeansException {
      if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
        install(factory);
      }
      return bean;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void install(AbstractKafkaListenerContainerFactory factory) {
      RecordInterceptor<Object, Object> ours = new ConsumerRetriesInterceptor(retries);
      RecordInterceptor<Object, Object> existing = factory.getRecordInterceptor();
      factory.setRecordInterceptor(
          existing == null ? ours : new CompositeRecordInterceptor<>(existing, ours));
      BatchInterceptor<Object, Object> ourBatch = new Batch(retries);
      BatchInterceptor<Object, Object> existingBatch = factory.getBatchInterceptor();
      factory.setBatchInterceptor(
          existingBatch == null
              ? ourBatch
              : new CompositeBatchInterceptor<>(existingBatch, ourBatch));
    }
  }
}
