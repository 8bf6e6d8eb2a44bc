/**
 * Durability for kvServer: {@link kv.server.durable.DurableLog} logs every write to a checksummed
 * log in the data directory before it is applied and acknowledged, replays snapshot and log at
 * start (dropping a torn last record, refusing to start on any other damage or on missing files)
 * and compacts the log into a snapshot in the background. Use: {@code open} with a replay visitor
 * and a snapshot source, {@code append} each write with the code that applies it to memory (run
 * once it is logged), {@code close} at stop.
 */
package kv.server.durable;
