package io.paybridge.platform.outbox;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;

/**
 * The trace context an event carries from the outbox row to Kafka and into its consumers: the W3C
 * {@code traceparent} of the span current when the row is written, a span per relayed record and
 * per applied record whose parent is the {@code traceparent} the record carries. {@link #NONE} (no
 * tracer): no spans, and rows carry only the trace context given to them.
 */
public final class RecordTracing {

  /** No tracing: nothing is started, nothing is read from the current thread. */
  public static final RecordTracing NONE = new RecordTracing(Tracer.NOOP, Propagator.NOOP);

  private final Tracer tracer;
  private final Propagator propagator;

  public RecordTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** Whether spans are made at all (a tracer is present). */
  public boolean enabled() {
    return tracer != Tracer.NOOP;
  }

  /** The {@code traceparent} of the span current on this thread, or {@code null} when none is. */
  public String currentTraceparent() {
    Span span = tracer.currentSpan();
    return span == null ? null : traceparentOf(span);
  }

  String traceparentOf(Span span) {
    var carrier = new HashMap<String, String>();
    propagator.inject(span.context(), carrier, (map, key, value) -> map.put(key, value));
    return carrier.get(EventHeaders.TRACEPARENT);
  }

  /**
   * Starts a span whose parent is {@code traceparent} (a new trace when it is {@code null} or not a
   * valid W3C trace context).
   */
  Span start(String name, Span.Kind kind, String traceparent) {
    Map<String, String> carrier =
        traceparent == null ? Map.of() : Map.of(EventHeaders.TRACEPARENT, traceparent);
    return propagator.extract(carrier, Map::get).name(name).kind(kind).start();
  }

  /** A consumer span for {@code record}, its parent the record's {@code traceparent} header. */
  Span startConsumer(String consumer, Headers headers, String topic) {
    var header = headers.lastHeader(EventHeaders.TRACEPARENT);
    String traceparent =
        header == null || header.value() == null
            ? null
            : new String(header.value(), StandardCharsets.UTF_8);
    Span span = start(consumer + " apply " + topic, Span.Kind.CONSUMER, traceparent);
    span.tag("messaging.system", "kafka");
    span.tag("messaging.destination.name", topic);
    span.tag("messaging.consumer.group.name", consumer);
    return span;
  }

  /**
   * Runs {@code work} with {@code span} current (so that outbox rows written meanwhile carry it),
   * then ends it; a failure is recorded on the span.
   */
  <T> T inSpan(Span span, Supplier<T> work) {
    try (var scope = tracer.withSpan(span)) {
      return work.get();
    } catch (RuntimeException | Error e) {
      span.error(e);
      throw e;
    } finally {
      span.end();
    }
  }
}
