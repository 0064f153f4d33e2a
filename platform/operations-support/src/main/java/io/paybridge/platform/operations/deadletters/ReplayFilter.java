package io.paybridge.platform.operations.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.adapter.RecordFilterStrategy;

/**
 * Discards a replayed record meant for another consumer group ({@link DeadLetters#REPLAY_FOR}): a
 * replay goes back to the original topic, which every group reading that topic sees. Those groups
 * applied (or dead-lettered) the original already; the record is not theirs to apply again, even
 * after their dedup table forgot its event id. Records without the header pass.
 */
public final class ReplayFilter implements RecordFilterStrategy<Object, Object> {

  private final String group;

  public ReplayFilter(String group) {
    this.group = group;
  }

  @Override
  public boolean filter(ConsumerRecord<Object, Object> record) {
    var header = record.headers().lastHeader(DeadLetters.REPLAY_FOR);
    return header != null
        && header.value() != null
        && !group.equals(new String(header.value(), StandardCharsets.UTF_8));
  }

  @Override
  public List<ConsumerRecord<Object, Object>> filterBatch(
      List<ConsumerRecord<Object, Object>> records) {
    return records.stream().filter(record -> !filter(record)).toList();
  }

  @Override
  public boolean ignoreEmptyBatch() {
    return true;
  }

  /** Puts the filter on every listener container factory (their discarded records acknowledged). */
  public static final class Installer implements BeanPostProcessor {

    private final String group;

    public Installer(String group) {
      this.group = group;
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
      factory.setRecordFilterStrategy(new ReplayFilter(group));
      factory.setAckDiscarded(true);
    }
  }
}
