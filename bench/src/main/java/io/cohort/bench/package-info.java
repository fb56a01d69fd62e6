/**
 * JMH benchmarks of every module ({@code ./cohort jmh}, the shaded {@code benchmarks.jar}) and the JVM flags their
 * forks run with; the cluster harness and the demo are the harness module's.
 */
package io.cohort.bench;
