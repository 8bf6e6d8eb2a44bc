package kv.server;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import kv.resp.Request;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's requests: in eventual mode through the {@link CommandTable}, answered at
 * once; in strong mode through {@link StrongCommands}, whose replies may come later and are
 * written in request order as they complete ({@link StrongReplies}). A handler's unexpected
 * failure becomes an error reply. Used only on the connection's event-loop thread.
 */
final class RequestRunner {
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);

  /** The connection's side of strong mode's flow control. */
  interface Drained {
    /** Strong mode's waiting replies went from {@link StrongReplies#MAX_WAITING} down to a quarter. */
    void drained(ChannelHandlerContext ctx);
  }

  private final CommandTable commands;
  /** Strong mode's front end, or null in eventual mode. */
  private final StrongCommands strong;
  private final ServerStats stats;
  private final RequestRecorder recorder;
  private final Responder out;
  private final Drained drained;
  private final StrongReplies replies = new StrongReplies();
  private Session session;
  private ConnectionAuth auth;

  RequestRunner(CommandTable commands, StrongCommands strong, ServerStats stats, RequestRecorder recorder,
      Responder out, Drained drained) {
    this.commands = commands;
    this.strong = strong;
    this.stats = stats;
    this.recorder = recorder;
    this.out = out;
    this.drained = drained;
  }

  /** The connection was admitted: its requests run in {@code session}. */
  void admitted(Session session, ConnectionAuth auth) {
    this.session = session;
    this.auth = auth;
  }

  /** Whether strong mode's waiting replies reached {@link StrongReplies#MAX_WAITING}: input must stay paused. */
  boolean full() {
    return replies.full();
  }

  void run(ChannelHandlerContext ctx, Request request) {
    long started = System.nanoTime();
    String command = request.command();
    stats.commandProcessed();
    session.executed(command);
    auth.before();
    if (strong != null) {
      runStrong(ctx, request, started);
      return;
    }
    Resp reply;
    try {
      reply = commands.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      reply = recorder.internalError(session, command, e);
    }
    auth.after();
    out.respond(ctx, request, reply, session.closeRequested(), session.client().replyWanted(), started);
  }

  /* Strong mode: the reply may come later; it is written after the replies before it. */
  private void runStrong(ChannelHandlerContext ctx, Request request, long started) {
    CompletableFuture<Resp> reply;
    try {
      reply = strong.execute(request, session);
    } catch (RuntimeException | StackOverflowError e) {
      reply = CompletableFuture.completedFuture(recorder.internalError(session, request.command(), e));
    }
    auth.after(); // connection commands (AUTH) run at once, here
    boolean close = session.closeRequested();
    boolean wanted = session.client().replyWanted();
    if (replies.isEmpty() && reply.isDone()) {
      out.respond(ctx, request, reply.join(), close, wanted, started);
      return;
    }
    if (close) {
      out.markClosing(); // nothing after QUIT runs; its reply closes the connection when its turn comes
    }
    replies.add(new StrongReplies.Waiting(request, reply, close, wanted, started));
    reply.whenComplete((r, e) -> ctx.executor().execute(() -> writeCompleted(ctx)));
    if (replies.becameFull()) {
      ctx.channel().config().setAutoRead(false);
      LOG.debug("client {} has {} requests waiting for their groups; pausing its input", session.remote(),
          replies.size());
    }
  }

  /* On the event loop: writes the strong-mode replies that are complete, in request order. */
  private void writeCompleted(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      replies.clear();
      return;
    }
    for (StrongReplies.Waiting w = replies.nextDone(); w != null; w = replies.nextDone()) {
      out.respond(ctx, w.request(), w.reply().join(), w.close(), w.wanted(), w.started());
      if (w.close() || !ctx.channel().isActive()) {
        replies.clear();
        return;
      }
    }
    out.flush(ctx);
    if (replies.drained()) {
      drained.drained(ctx);
    }
  }
}
