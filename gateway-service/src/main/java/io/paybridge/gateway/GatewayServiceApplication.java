package io.paybridge.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayServiceApplication {

  /**
   * Reactor Netty's server (1.3.6) can stop reading a keep-alive connection when the client sends
   * its next request before the server has terminated the previous exchange (reactor-netty#4347,
   * fixed in a later release): the request then waits, unread, until the client gives up and closes
   * the connection. OperationsIT saw it once, a GET sent right after a 400 unanswered for two
   * minutes. With this setting the server terminates the previous exchange first and handles the
   * request at once. Reactor Netty reads it once, when its HTTP server handler is first loaded, so
   * it is set when this class is initialised, before the server starts; a value given on the
   * command line is kept.
   */
  static final String LAST_FLUSH_WHEN_NO_READ = "reactor.netty.http.server.lastFlushWhenNoRead";

  static {
    if (System.getProperty(LAST_FLUSH_WHEN_NO_READ) == null) {
      System.setProperty(LAST_FLUSH_WHEN_NO_READ, "true");
    }
  }

  public static void main(String[] args) {
    SpringApplication.run(GatewayServiceApplication.class, args);
  }
}
