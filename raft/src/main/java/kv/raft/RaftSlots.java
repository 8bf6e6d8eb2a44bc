package kv.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * The Ratis clients of one group's lane, one per batch slot (writes and reads apart, since one
 * Ratis client serialises its calls): sends a batch on its slot's client as a write or a read of
 * the configured mode, and replaces the client of a slot whose call is stuck. Thread-safe.
 */
final class RaftSlots {
  private final GroupLane.ClientFactory clients;
  private final ClientOptions.ReadMode readMode;
  private final AtomicReferenceArray<RaftClient> writeClients;
  private final AtomicReferenceArray<RaftClient> readClients;

  RaftSlots(GroupLane.ClientFactory clients, ClientOptions options) {
    this.clients = clients;
    this.readMode = options.readMode();
    this.writeClients = new AtomicReferenceArray<>(options.writeSlots());
    for (int i = 0; i < options.writeSlots(); i++) {
      writeClients.set(i, clients.newClient());
    }
    this.readClients = new AtomicReferenceArray<>(options.readSlots());
    for (int i = 0; i < options.readSlots(); i++) {
      readClients.set(i, clients.newClient());
    }
  }

  /** Sends {@code batch}'s message on its slot's client; a client that throws gives a failed future. */
  CompletableFuture<RaftClientReply> send(SentBatch batch) {
    try {
      if (batch.write) {
        return writeClients.get(batch.slot).async().send(batch.message);
      } else if (readMode == ClientOptions.ReadMode.LINEARIZABLE) {
        return readClients.get(batch.slot).async().sendReadOnlyUnordered(batch.message);
      } else {
        return readClients.get(batch.slot).async().sendReadOnlyNonLinearizable(batch.message);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Gives {@code batch}'s slot a new Ratis client; returns the old one, for the caller to close. */
  RaftClient replace(SentBatch batch) {
    AtomicReferenceArray<RaftClient> slots = batch.write ? writeClients : readClients;
    return slots.getAndSet(batch.slot, clients.newClient());
  }

  void close() {
    for (int i = 0; i < writeClients.length(); i++) {
      Errors.closeQuietly(writeClients.get(i));
    }
    for (int i = 0; i < readClients.length(); i++) {
      Errors.closeQuietly(readClients.get(i));
    }
  }
}
