/**
 * Off-heap subscription state held in Chronicle Map: rooms, per-owner room counts and this node's
 * connections, with snapshots and per-owner digests.
 */
package io.cohort.state;
