package io.paybridge.oauth.vault;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the cluster that this instance runs and which key ids it holds ({@code token_key_holder}),
 * so that an activation can refuse a key some instance lacks. Registers before the web server and
 * the Kafka listeners start (and seeds the active key on a fresh database), beats every {@code
 * heartbeat-interval}, and deregisters after they stopped.
 */
@Component
class KeyHolderRegistration implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KeyHolderRegistration.class);

  private final TokenKeyRepository repository;
  private final TokenKeys keys;
  private final TokenCipher cipher;
  private final TokenEncryptionProperties properties;
  private final String instanceId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  private volatile boolean running;

  KeyHolderRegistration(
      TokenKeyRepository repository,
      TokenKeys keys,
      TokenCipher cipher,
      TokenEncryptionProperties properties) {
    this.repository = repository;
    this.keys = keys;
    this.cipher = cipher;
    this.properties = properties;
  }

  String instanceId() {
    return instanceId;
  }

  @Override
  public void start() {
    keys.bootstrap();
    repository.heartbeat(instanceId, cipher.keyIds());
    running = true;
    log.info("Instance {} holds token encryption keys {}", instanceId, cipher.keyIds());
  }

  /** Records that this instance is still running; forgets instances that stopped beating. */
  void heartbeat() {
    if (!running) {
      return;
    }
    repository.heartbeat(instanceId, cipher.keyIds());
    repository.forgetNotSeenFor(properties.instanceTimeout());
  }

  @Override
  public void stop() {
    running = false;
    try {
      repository.forget(instanceId);
    } catch (RuntimeException e) {
      // The row then ages out after instance-timeout.
      log.warn("Could not deregister instance {}: {}", instanceId, e.toString());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static String hostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.length() > 60 ? name.substring(0, 60) : name;
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
