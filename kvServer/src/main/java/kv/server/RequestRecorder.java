package kv.server;

import kv.resp.Request;
import kv.resp.Resp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of each request: its command, reply and time in {@link ServerMetrics}, a
 * line in the request log (unless {@code --quiet}), and an internal error with its stack trace.
 * Thread-safe (the meters and loggers are).
 */
final class RequestRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  private static final Logger REQUESTS = LoggerFactory.getLogger("kv.server.requests");

  private final ServerMetrics metrics;
  private final boolean logRequests;

  RequestRecorder(ServerMetrics metrics, ServerConfig config) {
    this.metrics = metrics;
    this.logRequests = !config.quiet();
  }

  /**
   * {@code request} was answered with {@code reply}; {@code started}: System.nanoTime() when it
   * began to run (in strong mode the reply is recorded when its turn to be written came).
   */
  void answered(Session session, Request request, Resp reply, long started) {
    metrics.request(request.command(), reply, System.nanoTime() - started);
    if (logRequests) {
      REQUESTS.info("{} {} {} -> {}", session.remote(), Replies.quote(request.command()), RequestLog.key(request),
          RequestLog.outcome(reply));
    }
  }

  /** Logs a handler's unexpected failure and returns the client's error reply. */
  Resp internalError(Session session, String command, Throwable e) {
    LOG.error("client {}: internal error in {}", session.remote(), Replies.quote(command), e);
    return Replies.error("ERR", "internal error: " + e);
  }

  void protocolError() {
    metrics.protocolError();
  }
}
