package kv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {

  private static long hash(String text, long seed) {
    return XxHash64.hash(text.getBytes(StandardCharsets.UTF_8), seed);
  }

  /** The reference implementation's sanity buffer (xxhsum): bytes of a squared 32-bit sequence. */
  private static byte[] sanityBuffer(int length) {
    byte[] buffer = new byte[length];
    long prime = 2654435761L;
    long generator = prime;
    for (int i = 0; i < length; i++) {
      buffer[i] = (byte) (generator >>> 24);
      generator = (generator * generator) & 0xFFFFFFFFL;
    }
    return buffer;
  }

  @Test
  void matchesTheReferenceVectors() {
    assertThat(hash("", 0)).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(hash("a", 0)).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(hash("abc", 0)).isEqualTo(0x44BC2CF5AD770999L);
    // 39 bytes: one 32-byte stripe, then the 8-byte tail path.
    assertThat(hash("Nobody inspects the spammish repetition", 0)).isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Test
  void matchesTheReferenceSanityChecksWithSeeds() {
    long prime = 2654435761L;
    assertThat(XxHash64.hash(new byte[0], prime)).isEqualTo(0xAC75FDA2929B17EFL);
    assertThat(XxHash64.hash(sanityBuffer(1), 0)).isEqualTo(0x4FCE394CC88952D8L);
    assertThat(XxHash64.hash(sanityBuffer(1), prime)).isEqualTo(0x739840CB819FA723L);
    assertThat(XxHash64.hash(sanityBuffer(14), 0)).isEqualTo(0xCFFA8DB881BC3A3DL);
    assertThat(XxHash64.hash(sanityBuffer(14), prime)).isEqualTo(0x5B9611585EFCC9CBL);
    assertThat(XxHash64.hash(sanityBuffer(101), 0)).isEqualTo(0x0EAB543384F878ADL);
    assertThat(XxHash64.hash(sanityBuffer(101), prime)).isEqualTo(0xCAA65939306F1E21L);
  }
}
