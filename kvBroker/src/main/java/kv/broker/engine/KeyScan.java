package kv.broker.engine;

import java.util.List;

/**
 * One page of the cluster's merged key space (live keys, deduplicated across replicas, in key
 * order), or why the broker cannot give one. Immutable.
 */
public sealed interface KeyScan {

  /**
   * The live keys of one page in key order, and the last key the page examined (live or not):
   * the next page starts after it; null when the walk has reached the end.
   */
  record Page(List<String> keys, String resumeAfter) implements KeyScan {
    public Page {
      keys = List.copyOf(keys);
    }
  }

  /**
   * k or more servers are down (or UP but still catching up, so not trusted for every key): a
   * key all of whose replicas are among them could be missing, so no answer is given.
   */
  record Incomplete(int k, List<String> down, List<String> catchingUp) implements KeyScan {
    public Incomplete {
      down = List.copyOf(down);
      catchingUp = List.copyOf(catchingUp);
    }
  }

  /** A server replied an error or a page that is not a VSCAN page (not a transport failure). */
  record Failed(String message) implements KeyScan {}

  /** No page: the engine could not answer, with the code of {@link Outcome.Unanswered} (strong mode). */
  record Unanswered(String code, String message) implements KeyScan {}
}
