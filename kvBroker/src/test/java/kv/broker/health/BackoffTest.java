package kv.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import kv.broker.config.BrokerConfig;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final BrokerConfig config = BrokerConfig.of(List.of(new ServerAddress("127.0.0.1", 9000)), "test", 1).with(c -> {
    c.minBackoff = Duration.ofMillis(20);
    c.maxBackoff = Duration.ofMillis(160);
  });

  @Test
  void doublesFromTheMinimumUpToTheCap() {
    Backoff backoff = new Backoff(config);
    assertThat(List.of(backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()))
        .containsExactly(20L, 40L, 80L, 160L, 160L, 160L);
  }

  @Test
  void aSuccessStartsOverAtTheMinimum() {
    Backoff backoff = new Backoff(config);
    backoff.next();
    backoff.next();
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(20L);
  }
}
