/**
 * What an operator runs on a machine: the {@code cohort keys} command here, {@code cohort stat} in
 * {@link io.cohort.node.stat}.
 */
package io.cohort.node;
