package kv.broker.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kv.broker.testing.TestRequests;
import kv.broker.transport.Connection;
import kv.broker.transport.ServerRequests;
import kv.broker.transport.TransportException;
import kv.cluster.ServerAddress;
import kv.resp.Resp;
import kv.server.KvServer;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty transport against a real kvServer and a raw socket. */
class NettyConnectionTest {
  private final IoThreads io = IoThreads.start(2);
  private final NettyConnector connector = new NettyConnector(io, System::nanoTime);

  @AfterEach
  void close() {
    connector.close();
    io.close();
  }

  private Connection connect(int port) throws Exception {
    return connector.connect(new ServerAddress("127.0.0.1", port), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void manyThreadsShareOnePipelinedConnectionAndEachGetsItsOwnReply() throws Exception {
    try (KvServer server = KvServer.start(ServerConfig.defaults())) {
      Connection connection = connect(server.port());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          workers.add(pool.submit(() -> {
            List<CompletableFuture<Resp>> replies = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
              replies.add(connection.send(TestRequests.of("ECHO", thread + "-" + i)));
            }
            List<String> texts = new ArrayList<>();
            for (CompletableFuture<Resp> reply : replies) {
              texts.add(((Resp.Bulk) reply.get(10, TimeUnit.SECONDS)).text());
            }
            return texts;
          }));
        }
        for (int t = 0; t < 4; t++) {
          List<String> texts = workers.get(t).get(30, TimeUnit.SECONDS);
          for (int i = 0; i < texts.size(); i++) {
            assertThat(texts.get(i)).isEqualTo(t + "-" + i);
          }
        }
      } finally {
        pool.shutdownNow();
      }
      // An error reply is a normal result, not a transport failure.
      assertThat(connection.send(TestRequests.of("FOO")).get(5, TimeUnit.SECONDS)).isInstanceOf(Resp.Error.class);
      byte[] binary = {0, (byte) 0xff, '\r', '\n', 'x'};
      assertThat(connection.send(List.of("ECHO".getBytes(StandardCharsets.US_ASCII), binary)).get(5, TimeUnit.SECONDS))
          .isEqualTo(new Resp.Bulk(binary));
      connection.close();
    }
  }

  @Test
  void aCallerOnAnEventLoopGetsItsReplyOnItsOwnThread() throws Exception {
    try (KvServer server = KvServer.start(ServerConfig.defaults())) {
      Connection connection = connect(server.port());
      for (EventExecutor loop : io.eventLoops()) {
        // Sent from the loop's thread, the reply is read and completed by that same thread: no hand-over.
        CompletableFuture<Thread> replyThread = loop.submit(
            () -> connection.send(TestRequests.of("ECHO", "x")).thenApply(reply -> Thread.currentThread())).get(10, TimeUnit.SECONDS);
        Thread caller = loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        assertThat(replyThread.get(10, TimeUnit.SECONDS)).isSameAs(caller);
      }
      connection.close();
    }
  }

  @Test
  void aClosedPortIsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    CompletableFuture<Connection> attempt = connector.connect(new ServerAddress("127.0.0.1", port), Duration.ofSeconds(5));
    assertThat(attempt).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class)
        .withMessageContaining("connection refused");
  }

  @Test
  void aLostConnectionFailsThePendingRequestsAndReportsTheEnd() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Connection connection = connect(listener.getLocalPort());
      CompletableFuture<Resp> first = connection.send(ServerRequests.PING);
      CompletableFuture<Resp> second = connection.send(ServerRequests.PING);
      try (Socket accepted = listener.accept()) {
        // The "server" reads nothing and answers nothing, then goes away.
        assertThat(first).isNotDone();
      }
      assertThat(first).failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);
      assertThat(second).failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);
      assertThat(connection.closed().get(10, TimeUnit.SECONDS)).isInstanceOf(TransportException.class);
      assertThat(connection.send(ServerRequests.PING)).failsWithin(Duration.ofSeconds(1))
          .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);
    }
  }

  @Test
  void aReplyThatCannotBeFramedClosesTheConnection() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Connection connection = connect(listener.getLocalPort());
      CompletableFuture<Resp> request = connection.send(ServerRequests.PING);
      try (Socket accepted = listener.accept()) {
        accepted.getOutputStream().write("?garbage\r\n".getBytes(StandardCharsets.US_ASCII));
        accepted.getOutputStream().flush();
        assertThat(request).failsWithin(Duration.ofSeconds(10))
            .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class)
            .withMessageContaining("protocol error");
      }
    }
  }
}
