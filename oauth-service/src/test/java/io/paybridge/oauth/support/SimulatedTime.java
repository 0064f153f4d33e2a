package io.paybridge.oauth.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The service's clock in tests reads the simulator's clock, as in production both the service and
 * GoCardless read (NTP-synchronised) real time: moving the simulated time (a verification review
 * ending) moves the service's "now" with it, so event times and connection times stay comparable.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SimulatedTime {

  @Bean
  @Primary
  Clock simulatedClock() {
    return new SimulatorClock(ZoneOffset.UTC);
  }

  private static final class SimulatorClock extends Clock {
    private final ZoneId zone;

    SimulatorClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new SimulatorClock(zone);
    }

    @Override
    public Instant instant() {
      return TestWorld.get().simulator.clock().now();
    }
  }
}
