/**
 * Benchmarks of the off-heap subscription state: JMH for the hot operations, plain mains for memory per
 * subscription and for snapshot encode and load times.
 */
package io.cohort.bench.state;
