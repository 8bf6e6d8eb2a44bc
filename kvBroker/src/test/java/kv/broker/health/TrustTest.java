package kv.broker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import kv.cluster.ServerAddress;
import org.junit.jupiter.api.Test;

/** When a server's answers are authoritative while it catches up. */
class TrustTest {
  private final ServerAddress self = new ServerAddress("10.0.0.1", 9001);
  private final ServerAddress b = new ServerAddress("10.0.0.2", 9002);
  private final ServerAddress c = new ServerAddress("10.0.0.3", 9003);
  private final Trust trust = new Trust(self);

  @Test
  void aServerCatchingUpIsTrustedOnlyForKeysWhoseOtherReplicasItWasComparedWith() {
    assertThat(trust.trustedFor(List.of(self, b))).isTrue();
    trust.begin(true);
    assertThat(trust.catchingUp()).isTrue();
    assertThat(trust.comparedOnce()).isFalse();
    assertThat(trust.trustedFor(List.of(self))).as("k = 1: no other replica could know better").isTrue();
    assertThat(trust.trustedFor(List.of(self, b))).isFalse();

    trust.verified(Set.of(b));
    assertThat(trust.comparedOnce()).isTrue();
    assertThat(trust.trustedFor(List.of(self, b))).isTrue();
    assertThat(trust.trustedFor(List.of(c, self))).isFalse();

    assertThat(trust.finish()).isTrue();
    assertThat(trust.trustedFor(List.of(c, self))).isTrue();
    assertThat(trust.finish()).isFalse();
    trust.verified(Set.of(b)); // after the catch-up: no effect
    assertThat(trust.catchingUp()).isFalse();
  }
}
