package io.paybridge.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One KRaft Kafka broker (broker and controller in one node) as a process of its own, with a fixed
 * port and data directory: the harness stops and starts it, and a restarted broker has the topics,
 * records, committed offsets and transaction state of the one before, as a real broker restart
 * would. The embedded test broker cannot do that (new ports and temporary directories per start).
 *
 * <p>Arguments: {@code <port> <controllerPort> <dataDirectory>}. Runs until SIGTERM or SIGKILL.
 */
public final class KafkaBrokerMain {

  /** Fixed so that the storage formatted by the first start is accepted by every later one. */
  static final String CLUSTER_ID = "PayBridgeFaults0000001";

  private KafkaBrokerMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int controllerPort = Integer.parseInt(args[1]);
    Path data = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(data);
    Path config = data.resolve("server.properties");
    Files.writeString(config, properties(port, controllerPort, data.resolve("logs")));
    if (!Files.exists(data.resolve("logs").resolve("meta.properties"))) {
      int status =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", CLUSTER_ID, "-c", config.toString()},
              new PrintStream(System.out, true));
      if (status != 0) {
        throw new IOException("kafka-storage format failed with " + status);
      }
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }

  private static String properties(int port, int controllerPort, Path logs) {
    return String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@localhost:" + controllerPort,
            "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
            "advertised.listeners=PLAINTEXT://localhost:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logs,
            // as the tests' EmbeddedKafkaServer: 3 partitions, topics created on first use
            "num.partitions=3",
            "auto.create.topics.enable=true",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "")
        + "\n";
  }
}
