/**
 * Optional Micrometer binding: {@link io.cohort.micrometer.CohortMetrics} exposes a node's counters and gauges.
 */
package io.cohort.micrometer;
