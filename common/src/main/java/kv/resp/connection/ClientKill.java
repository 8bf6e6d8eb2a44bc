package kv.resp.connection;

import static kv.resp.connection.Errors.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.resp.Request;
import kv.resp.Resp;
import kv.security.Users;

/**
 * CLIENT KILL in both of Redis's forms: {@code CLIENT KILL ip:port} (OK, or "No such client") and
 * the filter form ({@code ID}, {@code ADDR}, {@code LADDR}, {@code TYPE}, {@code USER},
 * {@code SKIPME}; answers how many were killed). The calling client, when it matches and SKIPME
 * is no, is closed after this reply. One per call.
 */
final class ClientKill {
  private final ServerFacts facts;
  private final ClientState self;
  private Long id;
  private String addr;
  private String laddr;
  private boolean typeMatches = true;
  private String user;
  private boolean skipMe = true;

  ClientKill(ServerFacts facts, ClientState self) {
    this.facts = facts;
    this.self = self;
  }

  Resp execute(Request request) {
    if (request.size() == 3) {
      addr = request.arg(2);
      skipMe = false;
      return kill() > 0 ? Resp.OK : error("ERR No such client");
    }
    for (int i = 2; i < request.size(); i += 2) {
      if (i + 1 >= request.size()) {
        return syntax();
      }
      String option = request.arg(i).toUpperCase(Locale.ROOT);
      String value = request.arg(i + 1);
      switch (option) {
        case "ID" -> {
          try {
            id = Long.parseLong(value);
          } catch (NumberFormatException e) {
            id = 0L;
          }
          if (id <= 0) {
            return error("ERR client-id should be greater than 0");
          }
        }
        case "ADDR" -> addr = value;
        case "LADDR" -> laddr = value;
        case "TYPE" -> {
          String type = value.toLowerCase(Locale.ROOT);
          if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
            return error("ERR Unknown client type '" + Errors.quote(value) + "'");
          }
          typeMatches = type.equals("normal");
        }
        case "USER" -> user = value;
        case "SKIPME" -> {
          String v = value.toLowerCase(Locale.ROOT);
          if (!v.equals("yes") && !v.equals("no")) {
            return syntax();
          }
          skipMe = v.equals("yes");
        }
        default -> {
          return syntax();
        }
      }
    }
    return new Resp.Int(kill());
  }

  private int kill() {
    if (!typeMatches) {
      return 0;
    }
    List<ClientState> victims = new ArrayList<>();
    for (ClientState c : facts.clients()) {
      boolean match = (id == null || c.id() == id) && (addr == null || c.address().equals(addr))
          && (laddr == null || c.localAddress().equals(laddr))
          && (user == null || user.equals(c.user() == null ? Users.DEFAULT : c.user()));
      if (match && !c.killed() && !(skipMe && c == self)) {
        victims.add(c);
      }
    }
    for (ClientState c : victims) {
      if (c == self) {
        self.requestClose();
      } else {
        c.kill();
      }
    }
    return victims.size();
  }

  private static Resp syntax() {
    return error("ERR syntax error (expected: CLIENT KILL ip:port, or CLIENT KILL [ID id] [ADDR ip:port]"
        + " [LADDR ip:port] [TYPE normal] [USER username] [SKIPME yes|no])");
  }
}
