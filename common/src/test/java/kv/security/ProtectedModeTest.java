package kv.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtectedModeTest {
  @Test
  void aRaftPortBeyondLoopbackNeedsMutualTls() {
    assertThatThrownBy(() -> ProtectedMode.checkRaft("0.0.0.0", 9100, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("protected mode: refusing to listen for Raft on 0.0.0.0:9100 without mutual TLS")
        .hasMessageContaining("(expected: --tls-cert FILE --tls-key FILE --tls-ca FILE");
    assertThatThrownBy(() -> ProtectedMode.checkRaft("10.1.2.3", 9100, false))
        .hasMessageContaining("10.1.2.3:9100");
    assertThatCode(() -> ProtectedMode.checkRaft("10.1.2.3", 9100, true)).doesNotThrowAnyException();
    for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
      assertThatCode(() -> ProtectedMode.checkRaft(loopback, 9100, false)).doesNotThrowAnyException();
    }
  }
}
