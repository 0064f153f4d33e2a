package io.paybridge.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for the HTML pages (consent page, hosted payer pages) and raw exchanges. */
public final class Web {
  private Web() {}

  public static Map<String, String> parseForm(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.putIfAbsent(key, value);
    }
    return values;
  }

  public static Map<String, String> query(HttpExchange exchange) {
    return parseForm(exchange.getRequestURI().getRawQuery());
  }

  public static byte[] body(HttpExchange exchange) throws IOException {
    return exchange.getRequestBody().readAllBytes();
  }

  public static Map<String, String> form(HttpExchange exchange) throws IOException {
    return parseForm(new String(body(exchange), StandardCharsets.UTF_8));
  }

  public static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** {@code uri} with extra query parameters appended (keeping any it already has). */
  public static String withQuery(String uri, Map<String, String> params) {
    StringBuilder result = new StringBuilder(uri);
    char separator = uri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      result.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      separator = '&';
    }
    return result.toString();
  }

  /** A labelled text input of a simulated page's form, its value escaped. */
  public static void textField(StringBuilder html, String name, String label, String value) {
    html.append("<label>")
        .append(escape(label))
        .append(" <input type=\"text\" name=\"")
        .append(name)
        .append("\" value=\"")
        .append(escape(value))
        .append("\"></label>");
  }

  public static String escape(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '&' -> s.append("&amp;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }

  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    if (body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public static void html(HttpExchange exchange, int status, String title, String content)
      throws IOException {
    String page =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            + escape(title)
            + "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
            + "label{display:block;margin:.5em 0}input[type=text],input[type=email],select{width:100%}"
            + "button{margin:.5em .5em 0 0;padding:.4em 1em}.banner{background:#fee;padding:.3em}</style>"
            + "</head><body><p class=\"banner\">GoCardless simulator (sandbox stand-in)</p><h1>"
            + escape(title)
            + "</h1>\n"
            + content
            + "\n</body></html>\n";
    send(exchange, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  /** A 303 See Other (after a form POST) or 302 Found redirect. */
  public static void redirect(HttpExchange exchange, int status, String location)
      throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    send(exchange, status, null, new byte[0]);
  }
}
