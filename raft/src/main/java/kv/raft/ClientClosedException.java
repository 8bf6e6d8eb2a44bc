package kv.raft;

/** The {@link StrongClient} was closed before the request got its answer. */
public final class ClientClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ClientClosedException() {
    super("strong client closed");
  }
}
