/**
 * Off-heap subscription state: rooms in Chronicle Map, per-owner room counts and this node's connections in
 * tables of the state's own thread, with snapshots and per-owner digests.
 */
package io.cohort.state;
