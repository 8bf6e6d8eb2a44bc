package kv.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UriPathTest {

  @Test
  void splitsAtSlashesThenDecodesEachSegment() throws Exception {
    assertThat(UriPath.segments("/keys/person1")).containsExactly("keys", "person1");
    assertThat(UriPath.segments("/keys/a%2Fb")).containsExactly("keys", "a/b");
    assertThat(UriPath.segments("/keys/a%2fb/c%20d/0")).containsExactly("keys", "a/b", "c d", "0");
    assertThat(UriPath.segments("/keys/plus+sign")).containsExactly("keys", "plus+sign");
    assertThat(UriPath.segments("/keys/%CE%BA%E2%9C%93")).containsExactly("keys", "\u03ba\u2713");
    assertThat(UriPath.segments("/")).isEmpty();
    assertThat(UriPath.segments("/keys/")).containsExactly("keys", "");
    assertThat(UriPath.segments("/keys//x")).containsExactly("keys", "", "x");
  }

  @Test
  void theQueryAndFragmentAreNotPartOfThePath() throws Exception {
    assertThat(UriPath.segments("/keys/k?x=%zz")).containsExactly("keys", "k");
    assertThat(UriPath.segments("/keys/k#top")).containsExactly("keys", "k");
    assertThat(UriPath.segments("http://127.0.0.1:8080/keys/k")).containsExactly("keys", "k");
  }

  @Test
  void rawUtf8BytesDecodeLikeTheirEscapes() throws Exception {
    // Netty hands the request line over one char per byte; curl sends non-ASCII keys unescaped.
    String raw = new String("/keys/\u03ba".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(UriPath.segments(raw)).containsExactly("keys", "\u03ba");
  }

  @Test
  void badEscapesAndInvalidUtf8AreNamedWithTheirPlace() {
    assertThatThrownBy(() -> UriPath.segments("/keys/a%zzb")).isInstanceOf(HttpError.class)
        .hasMessage("path segment 2: invalid percent-encoding '%zz' at character 8 of the path '/keys/a%zzb' (expected:"
            + " % and two hex digits, as in %2F for /)");
    assertThatThrownBy(() -> UriPath.segments("/keys/a%2")).hasMessageContaining("invalid percent-encoding '%2'");
    assertThatThrownBy(() -> UriPath.segments("/keys/a%")).hasMessageContaining("invalid percent-encoding '%'");
    assertThatThrownBy(() -> UriPath.segments("/keys/ok%C3%28")).hasMessage("path segment 2: invalid UTF-8 at byte 3"
        + " of its 4 decoded bytes, in 'ok%C3%28' (expected: UTF-8 text, percent-encoded as in %C3%A9 for \u00e9)");
    assertThatThrownBy(() -> UriPath.segments("/keys/%FF")).hasMessageContaining("invalid UTF-8 at byte 1");
    assertThatThrownBy(() -> UriPath.segments("/keys/%ED%A0%80")).as("a lone surrogate is not UTF-8")
        .hasMessageContaining("invalid UTF-8 at byte 1");
    assertThatThrownBy(() -> UriPath.segments("keys")).hasMessageStartingWith("request target: 'keys'");
    try {
      UriPath.segments("/keys/%zz");
    } catch (HttpError e) {
      assertThat(e.status()).isEqualTo(400);
    }
  }

  @Test
  void everyPrintableKeyRoundTripsThroughPercentEncoding() throws Exception {
    for (String key : List.of("a/b", "a b", "100%", "\u00e9\u00e8", "\uD83D\uDE00", "?#&=", "..")) {
      String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
      assertThat(UriPath.segments("/keys/" + encoded)).as(key).containsExactly("keys", key);
    }
  }
}
