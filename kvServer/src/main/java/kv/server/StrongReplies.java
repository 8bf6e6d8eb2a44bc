package kv.server;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import kv.resp.Request;
import kv.resp.Resp;

/**
 * Strong mode's replies still to be written on one connection, in request order: requests run
 * without waiting for the replies before them, and a reply is written once it and every reply
 * before it are complete. Used only on the connection's event-loop thread.
 */
final class StrongReplies {
  /*
   * Requests keep being executed while earlier ones wait for their groups (so a pipeline becomes
   * one Raft batch); once MAX_WAITING replies are outstanding the connection is full and stops
   * reading until a quarter of them remain.
   */
  static final int MAX_WAITING = 1024;

  /**
   * A request and its reply to come; {@code close}: it asked to close (QUIT), {@code wanted}: its
   * reply is written (CLIENT REPLY), both as they were when it ran; {@code started}:
   * System.nanoTime() when it began to run.
   */
  record Waiting(Request request, CompletableFuture<Resp> reply, boolean close, boolean wanted, long started) {}

  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private boolean full;

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  int size() {
    return waiting.size();
  }

  void add(Waiting w) {
    waiting.add(w);
  }

  /** True once, when the connection reaches {@link #MAX_WAITING} replies: its input must pause. */
  boolean becameFull() {
    if (waiting.size() >= MAX_WAITING && !full) {
      full = true;
      return true;
    }
    return false;
  }

  /** Whether the connection is full (its input paused for its replies). */
  boolean full() {
    return full;
  }

  /** True once, when a full connection is down to a quarter of {@link #MAX_WAITING}: its input may resume. */
  boolean drained() {
    if (full && waiting.size() <= MAX_WAITING / 4) {
      full = false;
      return true;
    }
    return false;
  }

  /** The oldest reply, removed, when it is complete (so every reply before it was written); else null. */
  Waiting nextDone() {
    return !waiting.isEmpty() && waiting.peek().reply().isDone() ? waiting.poll() : null;
  }

  /** The connection is gone or closing: nothing more is written. */
  void clear() {
    waiting.clear();
  }
}
