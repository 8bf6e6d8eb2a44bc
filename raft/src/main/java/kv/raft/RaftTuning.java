package kv.raft;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings of strong mode, for servers and clients alike, with the reason for each in
 * the block comment below. Start from {@link #defaults} and adjust. Immutable.
 *
 * @param electionMin shortest election timeout: a follower that hears nothing from its leader
 *     for a random time between min and max starts an election
 * @param electionMax longest election timeout
 * @param attemptTimeout how long a client waits for one attempt of a request before it tries
 *     again (same call id, possibly at another server)
 * @param operationTimeout how long a client keeps trying one request before it gives up and
 *     says the outcome is unknown
 * @param snapshotEntries log entries applied since the last snapshot that trigger a new one
 * @param maxEntryBytes largest entry: the largest request (the server's --max-request-bytes)
 *     plus framing; Ratis's buffers must hold one entry whole
 * @param segmentBytes size of a log file; only whole files are deleted after a snapshot
 */
public record RaftTuning(Duration electionMin, Duration electionMax, Duration attemptTimeout,
    Duration operationTimeout, long snapshotEntries, int maxEntryBytes, long segmentBytes) {
  /*
   * What each setting does and costs (measured on a 2-core machine with three servers on
   * loopback; see ARCHITECTURE.md for the numbers):
   *
   * - Election timeouts widen with the groups a server hosts: every group runs its own timers,
   *   heartbeats and log threads (about 8 threads each), and on a busy machine a heartbeat that
   *   waits for a core longer than the timeout starts a needless election. Short timeouts give
   *   fast failover (a new leader about one timeout after the old one died), long ones stability.
   * - outstanding appends 1 (gRPC appender): the leader sends a follower one AppendEntries at a
   *   time. With the default 8, appends overtook each other on a busy machine and followers
   *   rejected them out of order (about 20,000 rejections in 80 s in the probe), each costing a
   *   resend. Batches of many entries make up for the lost pipelining.
   * - flush: synchronous, on the log worker (fsync, then the flush index moves, and only flushed
   *   entries count towards a commit or a follower's acknowledgement). Ratis's async flush is
   *   off: in 3.1.3 (and its master as of this writing) SegmentedRaftLogWorker.asyncFlushOutStream
   *   sets the flush index to lastWrittenIndex read when the fsync *completes*, so entries the
   *   worker wrote into its buffer meanwhile count as flushed while they are still in process
   *   memory: a SIGKILL of a majority in that window could lose an acknowledged write. Group
   *   commit comes from batching instead (one entry holds many writes). Unsafe flush (acknowledge
   *   before fsync) is never enabled.
   * - force.sync.num 512: entries written between fsyncs at most (group commit in the log).
   * - appender buffer / write buffer: must each hold the largest entry whole (Ratis refuses an
   *   entry bigger than the buffer, and wants the write buffer larger than the appender's); at
   *   least 8 / 16 MiB. Direct memory per group: one write buffer. Log files of 32 MiB: a
   *   snapshot lets Ratis delete the files wholly before it.
   * - write element limit 8192: pending requests per group before the leader pushes back.
   * - linearizable reads (ReadIndex): the leader confirms it is still leader with a heartbeat
   *   round, waits until it has applied up to its commit index, then reads. Leader leases are
   *   off: they trade a clock assumption for one round trip.
   * - snapshots: taken automatically every snapshotEntries entries, the two newest kept, the log
   *   purged up to the snapshot; a member too far behind gets the snapshot file.
   */
  public static final int MIN_BUFFER_BYTES = 8 * 1024 * 1024;

  public RaftTuning {
    if (electionMin.isNegative() || electionMin.isZero() || electionMax.compareTo(electionMin) <= 0) {
      throw new IllegalArgumentException("election timeouts: " + electionMin.toMillis() + ".." + electionMax.toMillis()
          + " ms (expected: 0 < min < max)");
    }
    if (snapshotEntries < 1 || maxEntryBytes < 1024 || segmentBytes < 1024) {
      throw new IllegalArgumentException("snapshot entries " + snapshotEntries + ", max entry bytes " + maxEntryBytes
          + ", segment bytes " + segmentBytes + " (expected: >= 1, >= 1024, >= 1024)");
    }
  }

  /**
   * The defaults for a server hosting {@code groupsPerServer} groups with requests up to
   * {@code maxRequestBytes}: election timeouts of 250 ms + 150 ms per further group (max twice
   * the min), 3 s per attempt, and an operation timeout of 10 s or 5 election timeouts.
   */
  public static RaftTuning defaults(int groupsPerServer, int maxRequestBytes) {
    long min = 250 + 150L * (Math.max(1, groupsPerServer) - 1);
    Duration operation = Duration.ofMillis(Math.max(10_000, 5 * 2 * min));
    return new RaftTuning(Duration.ofMillis(min), Duration.ofMillis(2 * min), Duration.ofSeconds(3), operation,
        50_000, (int) Math.min(Integer.MAX_VALUE - 1024L * 1024, (long) maxRequestBytes + 64 * 1024), 32L << 20);
  }

  public RaftTuning withElection(Duration min, Duration max) {
    return new RaftTuning(min, max, attemptTimeout, operationTimeout, snapshotEntries, maxEntryBytes, segmentBytes);
  }

  public RaftTuning withTimeouts(Duration attempt, Duration operation) {
    return new RaftTuning(electionMin, electionMax, attempt, operation, snapshotEntries, maxEntryBytes, segmentBytes);
  }

  public RaftTuning withSnapshotEntries(long entries) {
    return new RaftTuning(electionMin, electionMax, attemptTimeout, operationTimeout, entries, maxEntryBytes,
        segmentBytes);
  }

  /** Log files of {@code bytes} (tests use small ones to see old files deleted). */
  public RaftTuning withSegmentBytes(long bytes) {
    return new RaftTuning(electionMin, electionMax, attemptTimeout, operationTimeout, snapshotEntries, maxEntryBytes,
        bytes);
  }

  /** Properties of a Raft server on {@code host:port} keeping its groups under {@code storage}. */
  public RaftProperties serverProperties(String host, int port, Path storage) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(storage.toFile()));
    RaftServerConfigKeys.setRemovedGroupsDir(p, new File(storage.toFile(), "removed-groups"));
    GrpcConfigKeys.Server.setHost(p, host);
    GrpcConfigKeys.Server.setPort(p, port);
    GrpcConfigKeys.Server.setLeaderOutstandingAppendsMax(p, 1);
    SizeInBytes message = SizeInBytes.valueOf(Math.max(64L << 20, 2L * maxEntryBytes));
    GrpcConfigKeys.setMessageSizeMax(p, message);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, time(electionMin));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, time(electionMax));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, time(attemptTimeout));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(p, time(attemptTimeout));
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
    RaftServerConfigKeys.Log.setForceSyncNum(p, 512);
    long buffer = Math.max(MIN_BUFFER_BYTES, maxEntryBytes + 64L * 1024);
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(2 * buffer));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(buffer));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(segmentBytes));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(4L << 20, segmentBytes)));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, snapshotEntries));
    RaftServerConfigKeys.Write.setElementLimit(p, 8192);
    RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf(Math.max(64L << 20, 4 * buffer)));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEntries);
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, snapshotEntries));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    return p;
  }

  /** Properties of a Raft client. */
  public RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, time(attemptTimeout));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1024);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64L << 20, 2L * maxEntryBytes)));
    return p;
  }

  static TimeDuration time(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
