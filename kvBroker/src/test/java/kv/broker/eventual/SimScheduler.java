package kv.broker.eventual;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The simulation's time and its only thread: a queue of tasks ordered by (due time, order of
 * scheduling), run one at a time by the test ({@link #runNext}, {@link #runUntil}), with the clock
 * jumping to each task's time. Each broker gets an {@link Owner}, a ScheduledExecutorService whose
 * tasks go into this queue and which a simulated SIGKILL drops at once. Nothing here sleeps or
 * starts a thread, so a seed replays exactly. Not thread-safe: the test's thread is the only one.
 */
final class SimScheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long sequence;
  private final List<Throwable> failures = new ArrayList<>();

  SimScheduler(long startNanos) {
    this.now = startNanos;
  }

  /** The simulated time, in nanoseconds. */
  long nanos() {
    return now;
  }

  /** The simulated time, in milliseconds. */
  long millis() {
    return now / 1_000_000;
  }

  /** Exceptions that escaped a task (a bug in the code under test, since its tasks catch their own). */
  List<Throwable> failures() {
    return failures;
  }

  /** Runs {@code task} at {@code now + delayNanos} for {@code owner} (null: the simulation itself). */
  Task at(long delayNanos, Owner owner, Runnable task) {
    Task t = new Task(now + Math.max(0, delayNanos), sequence++, owner, task, 0);
    queue.add(t);
    return t;
  }

  /** Runs the earliest task (the clock moves to its time); false when none is due before {@code limit}. */
  boolean runNext(long limit) {
    Task t = queue.peek();
    if (t == null || t.due > limit) {
      return false;
    }
    queue.poll();
    now = Math.max(now, t.due);
    if (!t.isCancelled()) {
      t.runOnce();
    }
    return true;
  }

  /** Runs every task due up to {@code time}, then sets the clock to it. */
  void runUntil(long time) {
    while (runNext(time)) {
      // one task at a time, in order
    }
    now = Math.max(now, time);
  }

  /** One scheduled task; periodic when {@code period} is not zero (fixed rate, as the failure detector asks). */
  final class Task extends FutureTask<Object> implements ScheduledFuture<Object> {
    private long due;
    private final long order;
    private final Owner owner;
    private final long period;

    Task(long due, long order, Owner owner, Runnable body, long period) {
      super(body, null);
      this.due = due;
      this.order = order;
      this.owner = owner;
      this.period = period;
    }

    void runOnce() {
      if (owner != null && owner.killed) {
        cancel(false);
        return;
      }
      if (period == 0) {
        run();
        try {
          get();
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
          // cancelled while running: nothing to report
        }
      } else if (runAndReset()) {
        due += period;
        queue.add(this);
      } else if (!isCancelled()) {
        failures.add(new IllegalStateException("a periodic task threw and was stopped"));
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task o = (Task) other;
      return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
    }
  }

  /** A broker's view: its tasks, all dropped when it is killed. */
  final class Owner extends AbstractExecutorService implements ScheduledExecutorService {
    private final String name;
    private boolean killed;

    Owner(String name) {
      this.name = name;
    }

    /** A SIGKILL: none of its tasks runs again. */
    void kill() {
      killed = true;
    }

    boolean killed() {
      return killed;
    }

    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      if (killed) {
        throw new java.util.concurrent.RejectedExecutionException(name + " is gone");
      }
      return at(unit.toNanos(delay), this, command);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("schedule(Callable): not used by the broker");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      if (killed) {
        throw new java.util.concurrent.RejectedExecutionException(name + " is gone");
      }
      Task t = new Task(now + unit.toNanos(initialDelay), sequence++, this, command, unit.toNanos(period));
      queue.add(t);
      return t;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
      killed = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      killed = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return killed;
    }

    @Override
    public boolean isTerminated() {
      return killed;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return killed;
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
      throw new UnsupportedOperationException("invokeAll: not used by the broker");
    }
  }
}
