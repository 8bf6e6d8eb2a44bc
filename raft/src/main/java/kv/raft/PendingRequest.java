package kv.raft;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kv.resp.Resp;

/** One request of a {@link GroupLane} waiting for its reply; the batch limits count its {@link #size}. */
final class PendingRequest {
  final List<byte[]> args;
  final RequestId id;
  final long seq;
  final long size;
  final CompletableFuture<Resp> result = new CompletableFuture<>();

  PendingRequest(List<byte[]> args, RequestId id, long seq) {
    this.args = args;
    this.id = id;
    this.seq = seq;
    long n = 64;
    for (byte[] a : args) {
      n += a.length + 16;
    }
    this.size = n;
  }
}
