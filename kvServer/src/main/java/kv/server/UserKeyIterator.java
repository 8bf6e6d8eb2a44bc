package kv.server;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import kv.record.AppendKeys;

/**
 * Iterates the user keys of a trie under a prefix, after a key, in key order, leaving out the
 * names of APPEND entries: a key's appends are skipped with one seek past them, not walked, so a
 * key with many appends costs KEYS and SCAN no more than one without. Not thread-safe (one per
 * walk); walks snapshots of the copy-on-write trie.
 */
final class UserKeyIterator implements Iterator<Map.Entry<String, Entry>> {
  private final EntryTrie trie;
  private final String prefix;
  private Iterator<Map.Entry<String, Entry>> it;
  private Map.Entry<String, Entry> next;

  UserKeyIterator(EntryTrie trie, String prefix, String after) {
    this.trie = trie;
    this.prefix = prefix;
    this.it = trie.prefixIterator(prefix, after);
    this.next = advance();
  }

  private Map.Entry<String, Entry> advance() {
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next();
      int at = e.getKey().indexOf(AppendKeys.SEPARATOR);
      if (at < 0) {
        return e;
      }
      // the names of this key's appends are the key, U+0000 and digits: seek past key + U+0000 + U+FFFF
      it = trie.prefixIterator(prefix, e.getKey().substring(0, at + 1) + '\uffff');
    }
    return null;
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public Map.Entry<String, Entry> next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    Map.Entry<String, Entry> e = next;
    next = advance();
    return e;
  }
}
