package kv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFileTest {

  @Test
  void readsBothFormsCommentsAndBlankLines() throws Exception {
    String text = "# the cluster\n\n127.0.0.1 9001\n  127.0.0.1:9002  # second\n\t10.0.0.7\t9003\r\n\n";
    assertThat(ServerFile.parse("servers.txt", text)).containsExactly(
        new ServerAddress("127.0.0.1", 9001), new ServerAddress("127.0.0.1", 9002), new ServerAddress("10.0.0.7", 9003));
  }

  @Test
  void keepsTheFileOrderAndHostNames() throws Exception {
    assertThat(ServerFile.parse("s", "localhost 7002\nlocalhost 7001\n"))
        .extracting(ServerAddress::toString).containsExactly("localhost:7002", "localhost:7001");
  }

  @Test
  void badLinesNameFileLineTextAndWhatIsExpected() {
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "127.0.0.1 9001\n127.0.0.1 90x1\n"))
        .isInstanceOf(ServerFileException.class)
        .hasMessage("serverFile.txt line 2: \"127.0.0.1 90x1\": port: 90x1 (expected: an integer 1..65535)");
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "\n127.0.0.1 70000\n"))
        .hasMessage("serverFile.txt line 2: \"127.0.0.1 70000\": port: 70000 (expected: an integer 1..65535)");
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "127.0.0.1 9001 9002\n"))
        .hasMessage("serverFile.txt line 1: \"127.0.0.1 9001 9002\": expected `ip port` or `ip:port`");
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "127.0.0.1\n"))
        .hasMessage("serverFile.txt line 1: \"127.0.0.1\": expected `ip port` or `ip:port`");
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "127.0.0.1:0\n"))
        .hasMessageContaining("port: 0 (expected: an integer 1..65535)");
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "::1 9000\n"))
        .hasMessageContaining("host: ::1");
  }

  @Test
  void aLineMayNameItsRaftPort() throws Exception {
    String text = "127.0.0.1 9001 raft=19101\n127.0.0.1:9002   raft=29002 # strong mode\n127.0.0.1 9003\n";
    assertThat(ServerFile.parseLines("s", text)).containsExactly(
        new ServerLine(new ServerAddress("127.0.0.1", 9001), 19101),
        new ServerLine(new ServerAddress("127.0.0.1", 9002), 29002),
        new ServerLine(new ServerAddress("127.0.0.1", 9003), 0));
    assertThat(ServerFile.parse("s", text)).extracting(ServerAddress::toString)
        .containsExactly("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003");
  }

  @Test
  void aBadRaftPortNamesTheLineAndWhatIsExpected() {
    assertThatThrownBy(() -> ServerFile.parseLines("serverFile.txt", "127.0.0.1 9001 raft=x\n"))
        .hasMessage("serverFile.txt line 1: \"127.0.0.1 9001 raft=x\": raft port: x"
            + " (expected: raft=PORT with an integer 1..65535)");
    assertThatThrownBy(() -> ServerFile.parseLines("serverFile.txt", "127.0.0.1:9001 raft=0\n"))
        .hasMessageContaining("raft port: 0 (expected: raft=PORT with an integer 1..65535)");
    assertThatThrownBy(() -> ServerFile.parseLines("serverFile.txt", "raft=9000\n"))
        .hasMessage("serverFile.txt line 1: \"raft=9000\": expected `ip port` or `ip:port`");
    assertThatThrownBy(() -> ServerFile.parseLines("serverFile.txt", "127.0.0.1 raft=9000\n"))
        .hasMessage("serverFile.txt line 1: \"127.0.0.1 raft=9000\": expected `ip port` or `ip:port`");
  }

  @Test
  void aDuplicateServerIsAnError() {
    assertThatThrownBy(() -> ServerFile.parse("serverFile.txt", "127.0.0.1 9001\n127.0.0.1 9002\n127.0.0.1:9001\n"))
        .hasMessage("serverFile.txt line 3: \"127.0.0.1:9001\": duplicate server 127.0.0.1:9001"
            + " (expected: each server once; it is already on line 1)");
  }

  @Test
  void aFileWithoutServersIsAnError() {
    assertThatThrownBy(() -> ServerFile.parse("empty.txt", "# nothing\n\n"))
        .hasMessage("empty.txt: no servers (expected: at least one line `ip port` or `ip:port`)");
  }

  @Test
  void readsAFileAndNamesAMissingOne(@TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("serverFile.txt");
    Files.writeString(file, "127.0.0.1 9001\n127.0.0.1 9002\n");
    assertThat(ServerFile.read(file)).hasSize(2);

    java.nio.file.Path missing = dir.resolve("nope.txt");
    assertThatThrownBy(() -> ServerFile.read(missing))
        .isInstanceOf(ServerFileException.class)
        .hasMessage(missing + ": no such file (expected: a server file with one `ip port` per line)");
  }

  @Test
  void theResultIsImmutable() throws Exception {
    List<ServerAddress> servers = ServerFile.parse("s", "127.0.0.1 1\n");
    assertThatThrownBy(() -> servers.add(new ServerAddress("h", 2))).isInstanceOf(UnsupportedOperationException.class);
  }
}
