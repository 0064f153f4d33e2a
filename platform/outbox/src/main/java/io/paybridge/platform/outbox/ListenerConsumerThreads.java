package io.paybridge.platform.outbox;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;

/**
 * Runs every listener's consumer on a platform thread of its own ({@code kafka-N}, the names Spring
 * Boot gives its virtual ones), also where the service runs its requests on virtual threads ({@code
 * spring.threads.virtual.enabled}, with which Boot hands the listener containers a virtual-thread
 * executor).
 *
 * <p>Why: a consumer is one long-lived poll loop, which virtual threads do not make cheaper, and
 * the Kafka client shares its network client between that loop and its heartbeat thread under a
 * lock. On virtual threads, while the service's requests keep both cores busy, the loop waits for a
 * carrier behind the requests, and so does whatever waits for it: the heartbeat, and at a stop the
 * consumer's {@code close()} joining the heartbeat thread. At webhook-ingest-service's admission
 * limit its listener took 0.6 to 3.7 s to stop, 0.1 to 0.5 s on platform threads (fault harness
 * scenario 10, docs/reliability.md).
 */
final class ListenerConsumerThreads implements BeanPostProcessor {

  static final String THREAD_NAME_PREFIX = "kafka-";

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
    if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
      factory
          .getContainerProperties()
          .setListenerTaskExecutor(new SimpleAsyncTaskExecutor(THREAD_NAME_PREFIX));
    }
    return bean;
  }
}
