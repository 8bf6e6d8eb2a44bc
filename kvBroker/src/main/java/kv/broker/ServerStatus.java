package kv.broker;

import java.time.Instant;

/**
 * One row of {@code status}: a server's address, whether it is up, since when, how many live
 * records it reported, its instance id (changes at each restart) and whether it is catching up.
 */
record ServerStatus(
    String address, boolean up, Instant since, long records, String instanceId, boolean catchingUp) {}
