package kv.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction (MULTI/EXEC): requests to one group applied as one step of its log, in order,
 * with no other request in between and no read of another client seeing part of it. It travels
 * as one request of an entry, {@code TXN n (R|W) argc arg... ...}: n steps, each a read or a
 * write, its argument count and its arguments; its reply is the array of the steps' replies.
 * Pure encoding; immutable.
 *
 * @param steps the requests, in order
 */
public record Transaction(List<Step> steps) {
  /** The word that opens a transaction in an entry (no command of its own). */
  public static final String TXN = "TXN";
  static final byte[] TXN_BYTES = TXN.getBytes(StandardCharsets.US_ASCII);
  /** Most steps in one transaction. */
  public static final int MAX_STEPS = 10_000;

  /**
   * One request of a transaction.
   *
   * @param write whether it writes (applied as a write; a read sees the steps before it)
   * @param request the command and its arguments, e.g. {@code PUT key set-text}
   */
  public record Step(boolean write, List<byte[]> request) {
    public Step {
      request = List.copyOf(request);
      if (request.isEmpty()) {
        throw new IllegalArgumentException("transaction step: empty (expected: a command and its arguments)");
      }
    }
  }

  public Transaction {
    steps = List.copyOf(steps);
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      throw new IllegalArgumentException("transaction: " + steps.size() + " steps (expected: 1.." + MAX_STEPS + ")");
    }
  }

  /** Its arguments as one request of an entry: {@code TXN n (R|W) argc arg...}. */
  public List<byte[]> toRequest() {
    List<byte[]> args = new ArrayList<>();
    args.add(TXN_BYTES);
    args.add(ascii(Integer.toString(steps.size())));
    for (Step s : steps) {
      args.add(ascii(s.write() ? "W" : "R"));
      args.add(ascii(Integer.toString(s.request().size())));
      args.addAll(s.request());
    }
    return args;
  }

  /** Whether a request of an entry is a transaction. */
  static boolean isTransaction(List<byte[]> args) {
    return !args.isEmpty() && Arrays.equals(args.get(0), TXN_BYTES);
  }

  /**
   * The transaction a request of an entry holds.
   *
   * @throws MalformedEntryException naming what is wrong, when the arguments are not
   *     {@code TXN n (R|W) argc arg...} with n steps
   */
  static Transaction fromRequest(List<byte[]> args) throws MalformedEntryException {
    if (!isTransaction(args) || args.size() < 2) {
      throw new MalformedEntryException("transaction: " + args.size() + " arguments (expected: TXN n steps...)");
    }
    int n = number(args.get(1), "step count", 1, MAX_STEPS);
    List<Step> steps = new ArrayList<>(n);
    int at = 2;
    for (int i = 0; i < n; i++) {
      if (at + 2 > args.size()) {
        throw new MalformedEntryException("transaction step " + (i + 1) + " of " + n + ": missing (expected: R|W argc args)");
      }
      String kind = new String(args.get(at), StandardCharsets.US_ASCII);
      if (!kind.equals("R") && !kind.equals("W")) {
        throw new MalformedEntryException("transaction step " + (i + 1) + ": kind '" + kind + "' (expected: R or W)");
      }
      int argc = number(args.get(at + 1), "step " + (i + 1) + " argument count", 1, args.size());
      at += 2;
      if (at + argc > args.size()) {
        throw new MalformedEntryException("transaction step " + (i + 1) + ": " + argc + " arguments, "
            + (args.size() - at) + " left (expected: as many as its count)");
      }
      steps.add(new Step(kind.equals("W"), args.subList(at, at + argc)));
      at += argc;
    }
    if (at != args.size()) {
      throw new MalformedEntryException("transaction: " + (args.size() - at) + " arguments after its " + n
          + " steps (expected: none)");
    }
    return new Transaction(steps);
  }

  private static int number(byte[] bytes, String what, int min, int max) throws MalformedEntryException {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new MalformedEntryException("transaction " + what + ": '" + text + "' (expected: " + min + ".." + max + ")");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
