package io.cohort.engine;

import io.cohort.codec.NotificationDecoder;
import io.cohort.state.SubscriptionState;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Exactly-once notification routing: the publisher's view is recorded at publish time; a notification reaches,
 * exactly once, every node that was RUNNING with a non-zero count in that view and that still has the publisher
 * as the same member at the end (otherwise a fault was seen and acted on), and never reaches a node whose count
 * the publisher saw as zero, a node that did not exist then, nor any node twice. A notification the publisher
 * refused whole (a destination without credit) reaches no node at all: all or nothing, never part.
 * <p>
 * The exemption (a receiver that is no longer RUNNING, or no longer holds the publisher as the same member) must not
 * swallow the check. A fault may legitimately exempt every delivery of a run (a tie that no side wins stops every
 * node, and all restart as new incarnations), so the lower bound is stated on the deliveries no fault can excuse:
 * those whose publisher and receiver both end the run as the very incarnations they were, both RUNNING. In every
 * run with at least {@link #MIN_PROMISED} of those, at least {@link #MIN_CHECKED_SHARE} are verified; a change that
 * exempted what it should check, or a member record replaced under a node that stayed, fails rather than passes.
 * <p>
 * One check is one arrival judged, one expected delivery verified at the end, or one refused
 * notification found undelivered.
 */
final class NotificationChecker implements SimChecker
{
    /** Below this many deliveries between survivors a run's share is not judged (a short run, few subscriptions). */
    static final int MIN_PROMISED = 20;
    /** The least share of the deliveries between survivors that each run verifies. */
    static final double MIN_CHECKED_SHARE = 0.9;

    /** A test of this checker: exempt every delivery, as a broken exemption rule would. */
    boolean exemptEverythingForTest;

    private static final class Expectation
    {
        final SimNode node;
        final long seenCount;
        final boolean runningAtPublish;
        final Member publisherAsMember;
        final boolean streamOpen;
        int arrivals;

        Expectation(final SimNode node, final long seenCount, final boolean runningAtPublish,
            final Member publisherAsMember, final boolean streamOpen)
        {
            this.node = node;
            this.seenCount = seenCount;
            this.runningAtPublish = runningAtPublish;
            this.publisherAsMember = publisherAsMember;
            this.streamOpen = streamOpen;
        }
    }

    private static final class Publication
    {
        final long id;
        final SimNode publisher;
        final int room;
        final long atNs;
        final List<Expectation> expectations = new ArrayList<>();
        boolean refused;
        int arrivalsWhileRefused;

        Publication(final long id, final SimNode publisher, final int room, final long atNs)
        {
            this.id = id;
            this.publisher = publisher;
            this.room = room;
            this.atNs = atNs;
        }
    }

    private final SimulationRun run;
    private final SimNetwork network;
    private final SimChecks checks;
    private final SimStats stats;
    private final List<Publication> publications = new ArrayList<>();
    private final Long2ObjectHashMap<Publication> publicationsById = new Long2ObjectHashMap<>();
    private final NotificationDecoder notificationDecoder = new NotificationDecoder();
    private long judged;

    NotificationChecker(final SimulationRun run, final SimChecks checks, final SimStats stats)
    {
        this.run = run;
        this.network = run.network;
        this.checks = checks;
        this.stats = stats;
    }

    public String name()
    {
        return "exactly-once-notification";
    }

    public long checks()
    {
        return judged;
    }

    /**
     * Records the publisher's view just before it publishes.
     */
    void onPublish(final SimNode publisher, final long id, final int room, final long roomId)
    {
        stats.published++;
        final Publication publication = new Publication(id, publisher, room, network.nowNs());
        final SubscriptionState state = publisher.state();
        final List<SimNode> nodes = network.nodes();
        final StringBuilder view = run.trace.on ? new StringBuilder() : null;
        for (int i = 0; i < nodes.size(); i++)
        {
            final SimNode node = nodes.get(i);
            if (node == publisher)
            {
                continue;
            }
            final long seen = state.ownerCount(node.nodeId(), roomId);
            final Member publisherAsMember = node.core().member(publisher.nodeId());
            final boolean running = NodeState.RUNNING == node.core().state();
            final Expectation expectation = new Expectation(node, seen, running,
                null != publisherAsMember && publisherAsMember.incarnation == publisher.incarnation() ?
                    publisherAsMember : null,
                publisher.hasDirectedStreamTo(node.nodeId()));
            publication.expectations.add(expectation);
            if (null != view && seen > 0)
            {
                view.append(' ').append(node).append('=').append(seen).append(running ? "" : "(" +
                    node.core().state() + ")").append(expectation.streamOpen ? "" : "(no stream)");
            }
        }
        publications.add(publication);
        publicationsById.put(id, publication);
        if (null != view)
        {
            run.trace(publisher + " publishes #" + id + " in r" + room + ", its view:" + view);
        }
    }

    /**
     * The publisher refused a notification whole, right after {@link #onPublish}: nothing of it may arrive.
     */
    void onRefused(final long id)
    {
        final Publication publication = publicationsById.get(id);
        if (null == publication)
        {
            checks.fail("notification #" + id + " refused but never published");
            return;
        }
        publication.refused = true;
        stats.refused++;
        run.trace("  " + publication.publisher + " refuses notification #" + id + " whole: a destination has no credit");
    }

    /**
     * A notification message reached a node's core.
     */
    void onArrival(final SimNode receiver, final long publisherNodeId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        stats.arrivals++;
        judged++;
        final NotificationDecoder notification = notificationDecoder.wrap(buffer, offset, length);
        final long id = buffer.getLong(notification.payloadOffset());
        final Publication publication = publicationsById.get(id);
        if (null == publication)
        {
            checks.fail(receiver + " got notification #" + id + " that was never published");
            return;
        }
        run.trace("  " + receiver + " receives notification #" + id + " from " + checks.name(publisherNodeId));
        if (publication.refused)
        {
            publication.arrivalsWhileRefused++;
            checks.fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
                ", though the publisher refused it whole (a partial delivery)");
            return;
        }
        for (final Expectation expectation : publication.expectations)
        {
            if (expectation.node == receiver)
            {
                expectation.arrivals++;
                if (0 == expectation.seenCount)
                {
                    checks.fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
                        ", whose count in r" + publication.room + " the publisher saw as 0");
                }
                else if (expectation.arrivals > 1)
                {
                    checks.fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
                        " " + expectation.arrivals + " times");
                }
                return;
            }
        }
        checks.fail("notification #" + id + " from " + publication.publisher + " reached " + receiver +
            ", a node that did not exist when it was published (its route was stale)");
    }

    /**
     * Every delivery the publisher's view promised, to a node that kept the publisher as the same member, came
     * exactly once.
     */
    public void finish()
    {
        long verified = 0;
        long exempt = 0;
        long betweenSurvivors = 0;
        long verifiedBetweenSurvivors = 0;
        for (final Publication publication : publications)
        {
            if (publication.refused)
            {
                judged++;
                if (0 != publication.arrivalsWhileRefused)
                {
                    checks.fail("notification #" + publication.id + " refused whole by " + publication.publisher +
                        " reached " + publication.arrivalsWhileRefused + " node(s)");
                    return;
                }
                continue;
            }
            for (final Expectation expectation : publication.expectations)
            {
                if (0 == expectation.seenCount || !expectation.runningAtPublish)
                {
                    continue;
                }
                final SimNode node = expectation.node;
                final boolean bothSurvived = node.isRunningOnNetwork() && NodeState.RUNNING == node.core().state() &&
                    publication.publisher.isRunningOnNetwork() &&
                    NodeState.RUNNING == publication.publisher.core().state();
                final boolean stillSame = node.isRunningOnNetwork() && NodeState.RUNNING == node.core().state() &&
                    null != expectation.publisherAsMember &&
                    node.core().member(publication.publisher.nodeId()) == expectation.publisherAsMember &&
                    !exemptEverythingForTest;
                betweenSurvivors += bothSurvived ? 1 : 0;
                verifiedBetweenSurvivors += bothSurvived && stillSame ? 1 : 0;
                if (!stillSame)
                {
                    stats.exemptDeliveries++;
                    exempt++;
                    continue;
                }
                stats.expectedDeliveries++;
                verified++;
                judged++;
                if (1 != expectation.arrivals)
                {
                    checks.fail("notification #" + publication.id + " published by " + publication.publisher +
                        " at " + String.format("%.3f ms", publication.atNs / 1e6) + " in r" + publication.room +
                        " reached " + node + " " + expectation.arrivals + " times, though the publisher saw its " +
                        "count as " + expectation.seenCount + ", it was RUNNING then and still is, with the " +
                        "publisher as the same member (directed stream open at publish: " + expectation.streamOpen +
                        ")");
                    return;
                }
            }
        }
        if (betweenSurvivors > 0)
        {
            stats.leastCheckedShare = Math.min(stats.leastCheckedShare,
                (double)verifiedBetweenSurvivors / betweenSurvivors);
        }
        if (betweenSurvivors >= MIN_PROMISED && verifiedBetweenSurvivors < MIN_CHECKED_SHARE * betweenSurvivors)
        {
            checks.fail("only " + verifiedBetweenSurvivors + " of the " + betweenSurvivors + " deliveries promised " +
                "between nodes that both ended the run as the same RUNNING incarnations were verified (at least " +
                (int)(MIN_CHECKED_SHARE * 100) + " % must be; " + verified + " verified, " + exempt + " exempt in all)");
        }
    }
}
