/**
 * The Cohort node: membership, join, heartbeats, the public embedding API and its configuration.
 */
package io.cohort.engine;
