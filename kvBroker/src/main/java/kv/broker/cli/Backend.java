package kv.broker.cli;

import java.nio.file.Path;
import java.time.Duration;
import kv.broker.config.BrokerConfig;
import kv.broker.engine.Engine;
import kv.broker.engine.EngineStatus;
import kv.broker.index.IndexProgress;
import kv.broker.index.IndexSummary;
import kv.broker.index.Indexer;
import kv.broker.transport.IoThreads;
import kv.record.Limits;
import kv.record.RecordParser;

/**
 * Starts the engine for a configuration on the program's I/O threads, and indexes through it;
 * main wires the eventual engine.
 */
interface Backend {
  /** Returns once every server's first connection attempt has ended (UP or DOWN). */
  Engine start(BrokerConfig config, IoThreads io) throws Exception;

  /**
   * Indexes {@code file} through {@code engine} with at most {@code maxInFlight} records in
   * flight, then refreshes its status so {@code status} shows the new record counts at once.
   */
  default IndexSummary index(Engine engine, Path file, int maxInFlight, IndexProgress progress) throws Exception {
    try {
      return new Indexer(engine, new RecordParser(Limits.DEFAULT), maxInFlight).index(file, progress);
    } finally {
      engine.refreshStatus();
    }
  }

  /** How long a front end waits for an answer before it answers that none came. */
  default Duration answerTimeout(BrokerConfig config) {
    return config.timeout().multipliedBy(2).plusSeconds(1);
  }

  /** The banner's description of the cluster, e.g. {@code 3 servers (3 up), k = 2}. */
  default String describe(BrokerConfig config, EngineStatus status) {
    return status.servers().size() + " servers (" + status.up() + " up), k = " + config.k();
  }

  /** The consistency model ({@code eventual} or {@code strong}), for INFO's {@code mode} and the HTTP status' {@code engine}. */
  default String mode() {
    return "eventual";
  }
}
