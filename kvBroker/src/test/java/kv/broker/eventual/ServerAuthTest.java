package kv.broker.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kv.broker.config.BrokerConfig;
import kv.broker.config.ServerLogin;
import kv.broker.engine.Outcome;
import kv.broker.testing.Await;
import kv.testkit.LogCapture;
import kv.broker.transport.netty.IoThreads;
import kv.cluster.ServerAddress;
import kv.record.RecordParser;
import kv.security.AuthThrottle;
import kv.security.Secret;
import kv.security.Users;
import kv.server.KvServer;
import kv.server.SecurityConfig;
import kv.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker against real kvServers (in-process, port 0) that ask for passwords: with the
 * cluster's password it replicates (VPUT needs the cluster role), with the clients' alone it works
 * against servers that have only that one, and a wrong or missing password leaves every server
 * DOWN with a reason that says what to fix, logged once per server.
 */
class ServerAuthTest {
  private static final Secret CLIENTS = Secret.of("test", "clients' pass");
  private static final Secret CLUSTER = Secret.of("test", "cluster pass");

  private final List<KvServer> servers = new ArrayList<>();
  private final List<ServerAddress> addresses = new ArrayList<>();
  private final IoThreads io = IoThreads.start();
  private EventualEngine broker;

  @AfterEach
  void close() {
    if (broker != null) {
      broker.close();
    }
    io.close();
    servers.forEach(KvServer::close);
  }

  private void startServers(int n, Users users) {
    for (int i = 0; i < n; i++) {
      KvServer server = KvServer.start(ServerConfig.defaults()
          .withSecurity(SecurityConfig.NONE.withUsers(users).withThrottle(AuthThrottle.DEFAULT)));
      servers.add(server);
      addresses.add(new ServerAddress("127.0.0.1", server.port()));
    }
  }

  private EventualEngine startBroker(ServerLogin login) {
    BrokerConfig config = BrokerConfig.of(addresses, "test servers", 2).with(c -> {
      c.timeout = Duration.ofSeconds(5);
      c.heartbeatInterval = Duration.ofMillis(100);
      c.minBackoff = Duration.ofMillis(50);
      c.maxBackoff = Duration.ofMillis(400);
      c.serverLogin = login;
    });
    broker = EventualEngine.start(config, io);
    return broker;
  }

  private static Outcome await(java.util.concurrent.CompletableFuture<Outcome> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void withTheClustersPasswordTheBrokerReplicatesAndReads() throws Exception {
    startServers(3, new Users(CLIENTS, CLUSTER));
    EventualEngine b = startBroker(ServerLogin.of(CLIENTS, CLUSTER));
    Await.until("every server UP", () -> b.status().up() == 3);
    String record = "person1 : { \"name\" : \"John\" ; \"age\" : 22 }";
    assertThat(await(b.put(new RecordParser().parseRecord(record)))).isEqualTo(new Outcome.Written("person1", 2, 2));
    assertThat(await(b.get("person1"))).isEqualTo(new Outcome.Found(new RecordParser().parseRecord(record)));
  }

  @Test
  void withOnePasswordForEverythingTheClientsPasswordIsEnough() throws Exception {
    startServers(2, new Users(CLIENTS, null));
    EventualEngine b = startBroker(ServerLogin.of(CLIENTS, null));
    Await.until("every server UP", () -> b.status().up() == 2);
    assertThat(await(b.put("k", "{ \"a\" : 1 }"))).isEqualTo(new Outcome.Written("k", 2, 2));
    assertThat(await(b.get("k"))).isEqualTo(new Outcome.Found("k", "{ \"a\" : 1 }"));
  }

  @Test
  void aWrongPasswordLeavesTheServersDownWithAClearReasonLoggedOnce() throws Exception {
    startServers(2, new Users(CLIENTS, CLUSTER));
    try (LogCapture log = new LogCapture("kv.broker.health"); LogCapture serverLog = new LogCapture("kv.server")) {
      EventualEngine b = startBroker(ServerLogin.of(null, Secret.of("test", "not the cluster's")));
      assertThat(b.status().up()).isZero();
      // the broker tried again: the servers saw several wrong passwords
      Await.until("reconnects", () -> serverLog.warnings().stream().filter(w -> w.contains("wrong password")).count() >= 6);
      List<String> warnings = log.warnings();
      assertThat(warnings).hasSize(2);
      for (ServerAddress address : addresses) {
        assertThat(warnings).contains("server " + address + " is DOWN (authentication refused as user cluster:"
            + " WRONGPASS invalid username-password pair or user is disabled. (expected: the cluster's password,"
            + " --admin-password-file or KV_ADMIN_PASSWORD to hold the servers' password))");
      }
      assertThat(await(b.put("k", "{ \"a\" : 1 }"))).isEqualTo(new Outcome.Written("k", 0, 2, -1));
      assertThat(String.join("\n", log.messages())).doesNotContain("not the cluster's");
      assertThat(String.join("\n", serverLog.messages())).doesNotContain("not the cluster's");
    }
  }

  @Test
  void noPasswordAtAllIsToldWhatTheServerExpects() throws Exception {
    startServers(1, new Users(CLIENTS, null));
    try (LogCapture log = new LogCapture("kv.broker.health")) {
      BrokerConfig config = BrokerConfig.of(addresses, "test servers", 1);
      broker = EventualEngine.start(config, io);
      assertThat(broker.status().up()).isZero();
      // the first contact ends as the handshake fails; its warning is logged a moment after
      Await.until("the DOWN warning", () -> !log.warnings().isEmpty());
      assertThat(log.warnings()).containsExactly("server " + addresses.get(0) + " is DOWN (the server requires a"
          + " password: NOAUTH Authentication required. (expected: the cluster's password, --admin-password-file"
          + " FILE or KV_ADMIN_PASSWORD, or the clients', --password-file FILE or KV_PASSWORD))");
    }
  }
}
