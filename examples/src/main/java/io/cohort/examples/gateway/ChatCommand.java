package io.cohort.examples.gateway;

/**
 * One parsed client frame of the gateway's text protocol (see {@link ChatProtocol}).
 *
 * @param verb what the client asks for.
 * @param room the room it names, or null for {@link Verb#STATUS}, {@link Verb#NODE} and {@link Verb#ROOMS}.
 * @param text the message of a {@link Verb#PUB}, else null.
 */
public record ChatCommand(Verb verb, String room, String text)
{
    /**
     * The commands a client may send.
     */
    public enum Verb
    {
        /** {@code SUB room}: deliver the room's messages to this client. */
        SUB,
        /** {@code UNSUB room}: stop delivering them. */
        UNSUB,
        /** {@code PUB room text}: send text to every subscriber of the room, on every gateway. */
        PUB,
        /** {@code COUNT room}: the room's subscribers across the whole cluster. */
        COUNT,
        /** {@code STATUS}: this gateway's node state and the cluster size it sees. */
        STATUS,
        /** {@code NODE}: the id of this gateway's node, so a client can tell which member it is on. */
        NODE,
        /** {@code ROOMS}: the rooms this client is subscribed to, as the node counts them. */
        ROOMS,
        /** {@code ROOM room}: whether the node knows the room, and its subscribers across the cluster and here. */
        ROOM
    }
}
