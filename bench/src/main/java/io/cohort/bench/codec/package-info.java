/**
 * JMH benchmarks of the wire format: encoding and decoding the common messages, alone and in batches.
 */
package io.cohort.bench.codec;
