/**
 * A realtime chat/pub-sub WebSocket gateway that embeds a Cohort node: clients subscribe to rooms and publish to
 * them through any gateway of the cluster, and Cohort routes each message to the gateways that have subscribers.
 */
package io.cohort.examples.gateway;
