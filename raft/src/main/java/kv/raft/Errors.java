package kv.raft;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.client.RaftClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers for failures of Ratis calls: unwrapping, one-line descriptions, quiet closing. Stateless. */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (Exception e) {
      LOG.debug("closing a Ratis client: {}", e.toString());
    }
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    m = m.replace('\r', ' ').replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
