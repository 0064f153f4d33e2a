package io.paybridge.oauth.merchant;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The connect flow's background jobs, on the intervals of {@link ConnectProperties} (whose defaults
 * live there only): the expiry sweep and the pruning of refused callbacks.
 */
@Component
class ConnectHousekeeping implements SchedulingConfigurer {

  private final ConnectService connect;
  private final CallbackRefusals refusals;
  private final ConnectProperties properties;

  ConnectHousekeeping(
      ConnectService connect, CallbackRefusals refusals, ConnectProperties properties) {
    this.connect = connect;
    this.refusals = refusals;
    this.properties = properties;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    var sweep = properties.expirySweepInterval();
    registrar.addFixedDelayTask(new FixedDelayTask(connect::failExpiredConnections, sweep, sweep));
    var prune = properties.refusedCallbacks().pruneInterval();
    registrar.addFixedDelayTask(new FixedDelayTask(refusals::prune, prune, prune));
  }
}
