package kv.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passwords from files and the environment, users and their roles, secrets that never print. */
class CredentialsTest {
  @TempDir
  Path tmp;

  @Test
  void aFilesFirstLineWithoutItsLineBreakIsThePassword() throws Exception {
    for (String content : new String[] {"pw word\n", "pw word\r\n", "pw word"}) {
      Path f = Files.writeString(tmp.resolve("f"), content);
      Secret s = Credentials.load("--password-file", f, "KV_PASSWORD", Map.of()).orElseThrow();
      assertThat(s.matches("pw word".getBytes(StandardCharsets.UTF_8))).isTrue();
      assertThat(s.matches("pw word\n".getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(s.text()).isEqualTo("pw word");
    }
  }

  @Test
  void theEnvironmentWorksAndBothSourcesAreAnError() throws Exception {
    assertThat(Credentials.load("--password-file", null, "KV_PASSWORD", Map.of("KV_PASSWORD", "e")).orElseThrow()
        .matches("e".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Credentials.load("--password-file", null, "KV_PASSWORD", Map.of())).isEmpty();
    Path f = Files.writeString(tmp.resolve("f"), "x\n");
    assertThatThrownBy(() -> Credentials.load("--password-file", f, "KV_PASSWORD", Map.of("KV_PASSWORD", "e")))
        .hasMessage("--password-file " + f + " and the environment variable KV_PASSWORD: both given (expected: one of them)");
    Path twoLines = Files.writeString(tmp.resolve("two"), "a\nb\n");
    assertThatThrownBy(() -> Credentials.load("--password-file", twoLines, "KV_PASSWORD", Map.of()))
        .hasMessageContaining("holds a line break or NUL at character 1 (expected: the password on one line)");
    assertThatThrownBy(() -> Credentials.load("--password-file", null, "KV_PASSWORD", Map.of("KV_PASSWORD", "")))
        .hasMessage("environment variable KV_PASSWORD: empty (expected: a password of 1 to 4096 bytes)");
  }

  @Test
  void aFileOthersMayReadGetsAWarning() throws Exception {
    Path f = Files.writeString(tmp.resolve("f"), "x\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(Credentials.permissionWarning("--password-file", f)).hasValueSatisfying(w -> assertThat(w)
        .contains("can be read by other users", "chmod 600"));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertThat(Credentials.permissionWarning("--password-file", f)).isEmpty();
  }

  @Test
  void usersAndRoles() {
    byte[] client = "c".getBytes(StandardCharsets.UTF_8);
    byte[] admin = "a".getBytes(StandardCharsets.UTF_8);
    Users both = new Users(Secret.of("t", "c"), Secret.of("t", "a"));
    assertThat(both.authenticate("default", client)).isEqualTo(Role.CLIENT);
    assertThat(both.authenticate("cluster", admin)).isEqualTo(Role.CLUSTER);
    assertThat(both.authenticate("cluster", client)).isNull();
    assertThat(both.authenticate("nobody", client)).isNull();
    assertThat(both.withoutPassword()).isNull();
    Users one = new Users(Secret.of("t", "c"), null);
    assertThat(one.authenticate("default", client)).isEqualTo(Role.CLUSTER);
    assertThat(one.authenticate("cluster", client)).isNull();
    assertThat(Users.OPEN.authenticate("default", admin)).isEqualTo(Role.CLUSTER);
    assertThat(new Users(null, Secret.of("t", "a")).withoutPassword()).isEqualTo(Role.CLIENT);
    assertThat(Role.CLIENT.allows(Access.CLUSTER)).isFalse();
    assertThat(Role.CLIENT.allows(Access.CLIENT)).isTrue();
    assertThat(Secret.of("t", "c").toString()).doesNotContain("c\"").isEqualTo("Secret[hidden]");
    assertThat(both.toString()).doesNotContain("=c");
  }
}
