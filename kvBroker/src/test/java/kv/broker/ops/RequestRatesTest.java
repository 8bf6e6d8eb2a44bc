package kv.broker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import kv.broker.engine.ServerStatus;
import org.junit.jupiter.api.Test;

/** The status page's per-second counts, and the counting of server state changes. */
class RequestRatesTest {

  @Test
  void eachTickClosesOneSecondPerCommand() {
    RequestRates rates = new RequestRates();
    assertThat(rates.snapshot().series()).isEmpty();
    rates.count("GET");
    rates.count("GET");
    rates.count("PUT");
    rates.tick(1_000);
    rates.count("GET");
    rates.tick(2_000);
    rates.tick(3_000);
    RequestRates.Snapshot s = rates.snapshot();
    assertThat(s.endMillis()).isEqualTo(3_000);
    assertThat(s.series().get("GET")).containsExactly(2L, 1L, 0L);
    assertThat(s.series().get("PUT")).containsExactly(1L, 0L, 0L);
  }

  @Test
  void aCommandFirstSeenLateHasZerosBeforeIt() {
    RequestRates rates = new RequestRates();
    rates.count("GET");
    rates.tick(1_000);
    rates.count("DELETE");
    rates.tick(2_000);
    assertThat(rates.snapshot().series().get("DELETE")).containsExactly(0L, 1L);
  }

  @Test
  void theRingKeepsTheLastFiveMinutes() {
    RequestRates rates = new RequestRates();
    for (int i = 0; i < RequestRates.SECONDS + 10; i++) {
      for (int n = 0; n < i; n++) {
        rates.count("GET");
      }
      rates.tick(i * 1_000L);
    }
    List<Long> gets = rates.snapshot().series().get("GET");
    assertThat(gets).hasSize(RequestRates.SECONDS);
    assertThat(gets.get(0)).isEqualTo(10);
    assertThat(gets.get(gets.size() - 1)).isEqualTo(RequestRates.SECONDS + 9);
  }

  @Test
  void stateChangesCountEachTransitionAndARestartBetweenTwoLooks() {
    BrokerMetrics.StateChanges changes = new BrokerMetrics.StateChanges();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    changes.see(List.of(server(true, false, t0)));
    assertThat(changes.counts()).isEmpty();
    changes.see(List.of(server(false, false, t0.plusSeconds(5))));
    changes.see(List.of(server(true, true, t0.plusSeconds(6))));
    changes.see(List.of(server(true, false, t0.plusSeconds(7))));
    // down and up again between two looks: the state is the same, its since is not
    changes.see(List.of(server(true, false, t0.plusSeconds(9))));
    assertThat(changes.counts().get(List.of("a:1", "down")).get()).isEqualTo(2);
    assertThat(changes.counts().get(List.of("a:1", "catching_up")).get()).isEqualTo(1);
    assertThat(changes.counts().get(List.of("a:1", "up")).get()).isEqualTo(2);
  }

  private static ServerStatus server(boolean up, boolean catchingUp, Instant since) {
    return new ServerStatus("a:1", up, since, 0, "id", catchingUp, 0);
  }
}
