package kv.security;

/**
 * What an authenticated connection may do: {@code CLIENT} the data commands, {@code CLUSTER}
 * everything, including the replication, sync and purge commands the broker sends.
 */
public enum Role {
  CLIENT,
  CLUSTER;

  /** Whether this role may run a command that needs {@code access}. */
  public boolean allows(Access access) {
    return access != Access.CLUSTER || this == CLUSTER;
  }
}
