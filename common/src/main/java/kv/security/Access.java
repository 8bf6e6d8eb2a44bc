package kv.security;

/**
 * Who may run a command: {@code OPEN} anyone, even before AUTH (AUTH, HELLO, QUIT, RESET, as in
 * Redis); {@code CLIENT} an authenticated connection; {@code CLUSTER} one authenticated with the
 * cluster's role.
 */
public enum Access {
  OPEN,
  CLIENT,
  CLUSTER
}
