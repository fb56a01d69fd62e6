/**
 * {@code cohort stat}: reads the counters files of the nodes running on this machine, without talking to them,
 * and prints each node's state, members, sizes, traffic and per-peer sequences and faults.
 */
package io.cohort.node.stat;
