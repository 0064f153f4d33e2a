package io.paybridge.platform.testsupport.tracing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP trace receiver ({@code POST /v1/traces}, {@code application/x-protobuf},
 * optionally gzip) that keeps every span it is sent: what a service's OpenTelemetry exporter talks
 * to in tests, in place of a collector. JSON-encoded OTLP is refused with 415.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** A span as received; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
  public record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      Instant start) {

    public boolean isRoot() {
      return parentSpanId.isEmpty();
    }
  }

  private static final HexFormat HEX = HexFormat.of();

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free port of the loopback interface. */
  public static OtlpReceiver start() throws IOException {
    var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    var receiver = new OtlpReceiver(server);
    server.createContext("/v1/traces", receiver::handle);
    server.start();
    return receiver;
  }

  /** The URL to give {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
  public URI tracesEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  /** Every span received so far. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace, in the order they started. */
  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream()
        .filter(span -> span.traceId().equals(traceId))
        .sorted(Comparator.comparing(ReceivedSpan::start))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.startsWith("application/x-protobuf")) {
        exchange.sendResponseHeaders(415, -1);
        return;
      }
      byte[] body;
      try (InputStream in = body(exchange)) {
        body = in.readAllBytes();
      }
      ExportTraceServiceRequest request;
      try {
        request = ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      request.getResourceSpansList().forEach(this::keep);
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      if (response.length > 0) {
        exchange.getResponseBody().write(response);
      }
    }
  }

  private static InputStream body(HttpExchange exchange) throws IOException {
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    return "gzip".equalsIgnoreCase(encoding)
        ? new GZIPInputStream(exchange.getRequestBody())
        : exchange.getRequestBody();
  }

  private void keep(ResourceSpans resourceSpans) {
    String service =
        resourceSpans.getResource().getAttributesList().stream()
            .filter(attribute -> attribute.getKey().equals("service.name"))
            .map(KeyValue::getValue)
            .map(value -> value.getStringValue())
            .findFirst()
            .orElse("");
    for (var scope : resourceSpans.getScopeSpansList()) {
      for (var span : scope.getSpansList()) {
        long nanos = span.getStartTimeUnixNano();
        spans.add(
            new ReceivedSpan(
                service,
                HEX.formatHex(span.getTraceId().toByteArray()),
                HEX.formatHex(span.getSpanId().toByteArray()),
                HEX.formatHex(span.getParentSpanId().toByteArray()),
                span.getName(),
                span.getKind().name(),
                Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L)));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
