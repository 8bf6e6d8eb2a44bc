package kv.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kv.record.RecordFormatException;
import kv.record.RecordParser;
import kv.record.SetValue;
import kv.record.VersionedSets;
import kv.trie.RadixTrie;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints a markdown table of the heap a kvServer needs per record for the records of a
 * createData file, held as kvServer's Store holds them (a RadixTrie whose value for a record
 * without appends is one array, the version and the packed set: VersionedSets, as kvServer's
 * EntryTrie stores it), measured by JOL: in all, and for the sets alone (as SetValues). Run: java -Djdk.attach.allowAttachSelf=true
 * -cp benchmarks.jar kv.bench.MemoryPerRecord FILE. Not thread-safe (a program).
 */
public final class MemoryPerRecord {
  private MemoryPerRecord() {
  }

  public static void main(String[] args) throws IOException, RecordFormatException {
    if (args.length != 1) {
      System.err.println("usage: MemoryPerRecord FILE (records as createData writes them)");
      System.exit(2);
    }
    RecordParser parser = new RecordParser();
    RadixTrie<Object> store = new RadixTrie<>();
    List<SetValue> sets = new ArrayList<>();
    long version = 0;
    try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        kv.record.Record record = parser.parseRecord(line);
        store.put(record.key(), VersionedSets.pack(++version, record.value()));
        sets.add(record.value());
      }
    }
    long n = sets.size();
    long all = GraphLayout.parseInstance(store).totalSize();
    Object[] array = sets.toArray();
    // The array that holds them for the walk is not part of what is measured.
    long setsOnly = GraphLayout.parseInstance((Object) array).totalSize()
        - ClassLayout.parseInstance(array).instanceSize();
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "| %,d records of %s | JOL bytes/record |%n", n, args[0]);
    out.println("|---|---:|");
    out.printf(Locale.ROOT, "| all: top-level RadixTrie, version + packed set per record | %.1f |%n", (double) all / n);
    out.printf(Locale.ROOT, "| the sets alone | %.1f |%n", (double) setsOnly / n);
  }
}
