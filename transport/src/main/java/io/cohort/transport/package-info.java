/**
 * ZeroMQ sync and command channels between Cohort nodes, with batching and per-peer sequence tables.
 */
package io.cohort.transport;
