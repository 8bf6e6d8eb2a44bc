package kv.security;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the passwords every KV program shares: the clients' from {@code --password-file FILE} or
 * the environment variable {@code KV_PASSWORD}, the cluster's from {@code --admin-password-file
 * FILE} or {@code KV_ADMIN_PASSWORD}; never from a flag's value, which {@code ps} shows to every
 * user of the machine. Stateless.
 */
public final class Credentials {
  public static final String PASSWORD_FILE_FLAG = "--password-file";
  public static final String PASSWORD_ENV = "KV_PASSWORD";
  public static final String ADMIN_PASSWORD_FILE_FLAG = "--admin-password-file";
  public static final String ADMIN_PASSWORD_ENV = "KV_ADMIN_PASSWORD";
  /** What to say to someone who passed a password as a flag's value. */
  public static final String NOT_ON_THE_COMMAND_LINE = "a password on the command line is visible to every user"
      + " of this machine (ps, /proc/PID/cmdline) and kept in shell histories (expected: "
      + PASSWORD_FILE_FLAG + " FILE or the environment variable " + PASSWORD_ENV + "; for the cluster's password "
      + ADMIN_PASSWORD_FILE_FLAG + " FILE or " + ADMIN_PASSWORD_ENV + ")";

  private Credentials() {}

  /**
   * The clients' and the cluster's passwords as the flags and environment give them.
   *
   * @param passwordFile {@code --password-file}, or null
   * @param adminPasswordFile {@code --admin-password-file}, or null
   * @param env the process's environment (System.getenv() in a program)
   * @throws IllegalArgumentException naming the flag or variable when a password cannot be read,
   *     is empty or too long, or comes from both a file and the environment
   */
  public static Users users(Path passwordFile, Path adminPasswordFile, Map<String, String> env) {
    Secret client = load(PASSWORD_FILE_FLAG, passwordFile, PASSWORD_ENV, env).orElse(null);
    Secret admin = load(ADMIN_PASSWORD_FILE_FLAG, adminPasswordFile, ADMIN_PASSWORD_ENV, env).orElse(null);
    return new Users(client, admin);
  }

  /**
   * One password from {@code file} (its first line; a final line break is not part of it) or,
   * without a file, from the environment variable {@code envName}; empty when neither is set.
   */
  public static Optional<Secret> load(String flag, Path file, String envName, Map<String, String> env) {
    String fromEnv = env.get(envName);
    if (file != null && fromEnv != null) {
      throw new IllegalArgumentException(flag + " " + file + " and the environment variable " + envName
          + ": both given (expected: one of them)");
    }
    if (file != null) {
      return Optional.of(Secret.of(flag + " " + file, read(flag, file)));
    }
    if (fromEnv != null) {
      return Optional.of(Secret.of("environment variable " + envName, fromEnv));
    }
    return Optional.empty();
  }

  /**
   * A warning when other users of the machine may read {@code file} (its group or others have
   * read permission), else empty. Only on file systems with POSIX permissions.
   */
  public static Optional<String> permissionWarning(String flag, Path file) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
        return Optional.of(flag + " " + file + " can be read by other users of this machine (expected: chmod 600 "
            + file + ")");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not POSIX, or gone since it was read: nothing to say
    }
    return Optional.empty();
  }

  private static String read(String flag, Path file) {
    try {
      long size = Files.size(file);
      if (size > Secret.MAX_BYTES + 2) {
        throw new IllegalArgumentException(flag + " " + file + ": " + size + " bytes (expected: a password of 1 to "
            + Secret.MAX_BYTES + " bytes on one line)");
      }
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      if (text.endsWith("\r\n")) {
        return text.substring(0, text.length() - 2);
      }
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(flag + " " + file + ": not UTF-8 text (expected: the password as text)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot read it (" + e + ")", e);
    }
  }
}
