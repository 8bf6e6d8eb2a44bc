package kv.broker.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kv.net.NettyTransport;

/**
 * The broker's I/O threads: one group of event loops that the server connections (one lane per
 * loop), the router's clients and the timers of heartbeats, reconnects and purges share, so a
 * router client's request and the server's reply stay on one thread. Made once by the program,
 * handed to the engine and the router, closed after both. Thread-safe.
 */
public final class IoThreads implements AutoCloseable {
  private final NettyTransport transport = NettyTransport.best();
  private final EventLoopGroup group;

  private IoThreads(int threads) {
    this.group = transport.eventLoops(threads, new DefaultThreadFactory("kv-broker-io", true));
  }

  /** One event loop per core, 1 to 4 (the broker mostly passes bytes on). */
  public static IoThreads start() {
    return start(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  public static IoThreads start(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    return new IoThreads(threads);
  }

  /** The event loops, for the connections and the router to run on. */
  public EventLoopGroup eventLoops() {
    return group;
  }

  /** The transport of the loops, whose channel classes every channel on them must use. */
  public NettyTransport transport() {
    return transport;
  }

  /** The same loops as a scheduler, for timers. */
  public ScheduledExecutorService scheduler() {
    return group;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
