package kv.server;

import kv.resp.Request;
import kv.resp.Resp;

/**
 * Executes one command and returns its reply; only the I/O layer writes. Implementations are
 * thread-safe (called from every event-loop thread) and signal a bad request by throwing
 * {@link CommandException}.
 */
@FunctionalInterface
interface Handler {
  Resp handle(Request request, Session session);
}
