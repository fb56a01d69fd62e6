/**
 * Benchmarks of the transport: the per-frame sequence check (JMH) and batched message throughput over
 * ZeroMQ on loopback, side by side with raw JeroMQ.
 */
package io.cohort.bench.transport;
