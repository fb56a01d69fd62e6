/**
 * The deterministic simulator of the Cohort node's protocol core under faults, in the core's own package so that
 * it drives and inspects package-private {@code ClusterCore} and {@code Member} state ({@code ./cohort sim}).
 */
package io.cohort.engine;
