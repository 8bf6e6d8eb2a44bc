/**
 * Durability for kvServer: {@link kv.server.durable.DurableLog} appends every applied write to a
 * checksummed log in the data directory before it is acknowledged, replays snapshot and log at
 * start (dropping a torn last record, refusing to start on any other damage) and compacts the log
 * into a snapshot in the background. Use: {@code open} with a replay visitor and a snapshot
 * source, apply each write to memory and then {@code append} it, {@code close} at stop.
 */
package kv.server.durable;
