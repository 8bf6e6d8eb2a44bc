package kv.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.resp.Resp;
import org.junit.jupiter.api.Test;

class InflightTest {
  private static final long MS = 1_000_000;
  private final Inflight inflight = new Inflight(100 * MS);

  private CompletableFuture<Resp> send(long atMs) {
    CompletableFuture<Resp> future = new CompletableFuture<>();
    inflight.add(future, atMs * MS, null);
    return future;
  }

  @Test
  void aRequestWithoutReplyExpiresAfterTheTimeout() {
    CompletableFuture<Resp> first = send(0);
    send(10);
    assertThat(inflight.expired(99 * MS)).isNull();
    Inflight.Pending expired = inflight.expired(100 * MS);
    assertThat(expired).isNotNull();
    assertThat(expired.future()).isSameAs(first);
  }

  @Test
  void answeredRequestsAreForgotten() {
    send(0).complete(Resp.OK);
    send(5).complete(Resp.OK);
    assertThat(inflight.expired(1000 * MS)).isNull();
  }

  @Test
  void aServerThatKeepsAnsweringADeepPipelineIsNotHung() {
    // 50 requests at t=0; the server answers one every 20 ms.
    List<CompletableFuture<Resp>> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(send(0));
    }
    for (int i = 0; i < requests.size(); i++) {
      requests.get(i).complete(Resp.OK);
      long now = (i + 1) * 20L;
      assertThat(inflight.expired(now * MS)).as("at %d ms", now).isNull();
    }
  }

  @Test
  void silenceAfterTheLastReplyCountsFromThatReply() {
    send(0).complete(Resp.OK);
    CompletableFuture<Resp> stuck = send(0);
    assertThat(inflight.expired(50 * MS)).isNull(); // sees the reply at 50 ms
    assertThat(inflight.expired(140 * MS)).isNull();
    assertThat(inflight.expired(150 * MS).future()).isSameAs(stuck);
  }

  @Test
  void drainFailsEverythingPending() {
    CompletableFuture<Resp> a = send(0);
    CompletableFuture<Resp> b = send(1);
    inflight.drain(new TransportException("closing"));
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThat(inflight.expired(1000 * MS)).isNull();
  }
}
