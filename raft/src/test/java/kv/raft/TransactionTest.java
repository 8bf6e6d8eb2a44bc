package kv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kv.resp.Resp;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions: their form in an entry, and one applied as one step no read sees part of. */
class TransactionTest {

  private static List<byte[]> args(String... words) {
    List<byte[]> list = new ArrayList<>();
    for (String w : words) {
      list.add(w.getBytes(StandardCharsets.UTF_8));
    }
    return list;
  }

  private static List<String> text(List<byte[]> args) {
    return args.stream().map(a -> new String(a, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aTransactionIsOneRequestOfAnEntryAndBack() throws Exception {
    Transaction t = new Transaction(List.of(new Transaction.Step(true, args("PUT", "a", "1")),
        new Transaction.Step(false, args("GET", "a"))));
    assertThat(text(t.toRequest())).containsExactly("TXN", "2", "W", "3", "PUT", "a", "1", "R", "2", "GET", "a");
    Transaction back = Transaction.fromRequest(t.toRequest());
    assertThat(back.steps()).hasSize(2);
    assertThat(back.steps().get(0).write()).isTrue();
    assertThat(text(back.steps().get(1).request())).containsExactly("GET", "a");
    // through the entry codec, wrapped for at-most-once
    byte[] entry = EntryCodec.encode(List.of(new EntryCodec.Op(t.toRequest(), new RequestId("c1", 4, 2))));
    EntryCodec.Op op = EntryCodec.decode(java.nio.ByteBuffer.wrap(entry)).get(0);
    assertThat(op.id()).isEqualTo(new RequestId("c1", 4, 2));
    assertThat(Transaction.isTransaction(op.args())).isTrue();
  }

  @Test
  void aMalformedTransactionNamesWhatIsWrong() {
    assertThatThrownBy(() -> Transaction.fromRequest(args("TXN", "x"))).hasMessageContaining("step count: 'x'");
    assertThatThrownBy(() -> Transaction.fromRequest(args("TXN", "2", "W", "2", "GET", "a")))
        .hasMessageContaining("step 2 of 2: missing");
    assertThatThrownBy(() -> Transaction.fromRequest(args("TXN", "1", "X", "2", "GET", "a")))
        .hasMessageContaining("kind 'X' (expected: R or W)");
    assertThatThrownBy(() -> Transaction.fromRequest(args("TXN", "1", "R", "3", "GET", "a")))
        .hasMessageContaining("3 arguments, 2 left");
    assertThatThrownBy(() -> Transaction.fromRequest(args("TXN", "1", "R", "2", "GET", "a", "extra")))
        .hasMessageContaining("1 arguments after its 1 steps");
    assertThatThrownBy(() -> new Transaction(List.of())).hasMessageContaining("0 steps");
  }

  @Test
  void stepsApplyInOrderReadsSeeTheStepsBeforeThemAndItAppliesOnce(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, LocalCluster.tuning(1));
        StrongClient client = cluster.client(ClientOptions.defaults())) {
      Transaction t = new Transaction(List.of(new Transaction.Step(true, args("INCR", "n")),
          new Transaction.Step(false, args("GET", "n")), new Transaction.Step(true, args("INCR", "n")),
          new Transaction.Step(true, args("PUT", "m", "x")), new Transaction.Step(false, args("MGET", "n", "m"))));
      Resp reply = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> client.transaction(0, t).get(30, TimeUnit.SECONDS), r -> r instanceof Resp.Array);
      assertThat(reply).isEqualTo(new Resp.Array(List.of(new Resp.Int(1), Resp.Bulk.of("1"), new Resp.Int(2), Resp.OK,
          new Resp.Array(List.of(Resp.Bulk.of("2"), Resp.Bulk.of("x"))))));
      assertThat(client.read("n", args("GET", "n")).get(30, TimeUnit.SECONDS)).isEqualTo(Resp.Bulk.of("2"));
      assertThatThrownBy(() -> client.write("n", args("TXN", "1", "W", "2", "INCR", "n")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TXN is the entry format's transaction");
    }
  }

  /*
   * A transaction stopped between its writes (SLOW waits at the gate): a leader-local read (it
   * does not wait for the log to be applied) asks for both keys at once; it must see both writes
   * or neither. Without the isolation lock it answered a=new, b=old at once.
   */
  @Test
  void noReadSeesPartOfATransaction(@TempDir Path dir) throws Exception {
    MapApplier.Gate gate = new MapApplier.Gate();
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 3, 1, LocalCluster.tuning(1), () -> new MapApplier(gate));
        StrongClient client = cluster.client(ClientOptions.defaults());
        StrongClient local = cluster.client(ClientOptions.defaults().withReadMode(ClientOptions.ReadMode.LOCAL))) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> client.write("a", args("PUT", "a", "old")).get(30, TimeUnit.SECONDS).equals(Resp.OK));
      assertThat(client.write("b", args("PUT", "b", "old")).get(30, TimeUnit.SECONDS)).isEqualTo(Resp.OK);
      // warm the local client up, so its read is sent at once below
      assertThat(local.read("a", args("MGET", "a", "b")).get(30, TimeUnit.SECONDS)).isInstanceOf(Resp.Array.class);
      CompletableFuture<Resp> txn = client.transaction(0, new Transaction(List.of(
          new Transaction.Step(true, args("PUT", "a", "new")), new Transaction.Step(true, args("SLOW", "x", "1")),
          new Transaction.Step(true, args("PUT", "b", "new")))));
      assertThat(gate.entered.await(60, TimeUnit.SECONDS)).as("the transaction reached its slow step").isTrue();
      CompletableFuture<Resp> read = local.read("a", args("MGET", "a", "b"));
      try {
        await().atMost(Duration.ofSeconds(2)).until(read::isDone);
      } catch (ConditionTimeoutException e) {
        // blocked until the transaction is whole: as it must be (a slow machine can only hide a failure here)
      }
      gate.release.countDown();
      assertThat(txn.get(30, TimeUnit.SECONDS)).isInstanceOf(Resp.Array.class);
      Resp seen = read.get(30, TimeUnit.SECONDS);
      assertThat(seen).as("both writes of the transaction or neither").isIn(
          new Resp.Array(List.of(Resp.Bulk.of("old"), Resp.Bulk.of("old"))),
          new Resp.Array(List.of(Resp.Bulk.of("new"), Resp.Bulk.of("new"))));
    }
  }
}
