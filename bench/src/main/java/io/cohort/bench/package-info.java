/**
 * JMH benchmarks of every module and the single-node smoke run behind {@code ./cohort demo}.
 */
package io.cohort.bench;
