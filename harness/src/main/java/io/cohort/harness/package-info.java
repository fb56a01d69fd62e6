/**
 * The cluster load harness ({@code ./cohort bench}) and the demo ({@code ./cohort demo}): real node processes on
 * loopback, each running a seeded load generator against its own node, measured from outside with HdrHistogram
 * and compared side by side with raw JeroMQ, raw Chronicle Map and the legacy Redis design.
 */
package io.cohort.harness;
