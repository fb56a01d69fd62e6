/**
 * Shared test plumbing for every Cohort module's tests: child JVMs and their line protocol, ports, JVM flags,
 * awaits, counters snapshots, in-process loopback clusters and transport fault hooks.
 */
package io.cohort.test;
