package kv.broker.ops;

import java.util.Locale;

/** Where a request came from, the {@code frontend} label of the broker's request metrics. */
public enum FrontEnd {
  /** The prompt, a script or {@code -c}. */
  CLI,
  /** The RESP router port ({@code --port}). */
  RESP,
  /** The HTTP port ({@code --http}). */
  HTTP;

  /** The label value: {@code cli}, {@code resp}, {@code http}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
