package io.cohort.engine;

import io.cohort.codec.FlowStatusDecoder;
import io.cohort.codec.FrameLayout;
import io.cohort.transport.OutboundBatcher;
import io.cohort.transport.Peer;
import io.cohort.transport.Transport;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When a replica reports to an owner, on a fake clock: the first report at once, then one per heartbeat interval
 * (the same again if nothing new was applied: a report lost with its connection is mended), an eager one a status
 * interval after the last once a quarter of the window was applied; rows only of a synced copy, notifications taken
 * whether or not; nothing while there is nothing to say.
 */
class FlowReporterTest
{
    private static final long MS = 1_000_000L;
    private static final long OWNER = 2;
    private static final long OWNER_INCARNATION = 7;

    private final List<long[]> sent = new ArrayList<>();
    private final FlowStatusDecoder status = new FlowStatusDecoder();
    private final CohortContext context = new CohortContext()
        .nodeId(1)
        .heartbeatIntervalNs(100 * MS);
    private FlowReporter reporter;
    private Member owner;
    private List<Member> members;

    @BeforeEach
    void setUp()
    {
        final CommandMessages commands = new CommandMessages(context, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2", null);
        reporter = new FlowReporter(context, new RecordingTransport(), commands);
        owner = new Member(OWNER, OWNER_INCARNATION, "tcp://127.0.0.1:3", "tcp://127.0.0.1:4", null, 0);
        owner.phase = Member.Phase.SYNCED;
        members = List.of(owner);
    }

    @Test
    void shouldReportAtOnceThenEveryHeartbeatInterval()
    {
        assertEquals(0, reporter.tick(members, 0), "nothing applied yet: nothing to say");
        FlowReporter.onApplied(owner, 1, 10);
        assertEquals(1, reporter.tick(members, 0), "the first report goes at once");
        assertEquals(1, sent.get(0)[1], "with the sequence applied");

        assertEquals(100 * MS, reporter.nextDueNs(members, 50 * MS));
        assertEquals(0, reporter.tick(members, 99 * MS));
        assertEquals(1, reporter.tick(members, 100 * MS), "the same again: an owner may have lost the last");
        assertEquals(1, sent.get(1)[1]);

        FlowReporter.onApplied(owner, 2, 10);
        assertEquals(200 * MS, reporter.nextDueNs(members, 150 * MS), "a little more: at the next interval");
        assertEquals(0, reporter.tick(members, 199 * MS));
        assertEquals(1, reporter.tick(members, 200 * MS));
        assertEquals(2, sent.get(2)[1]);
        assertEquals(3, sent.size());
    }

    @Test
    void shouldReportEagerlyOnceAQuarterOfTheWindowWasApplied()
    {
        FlowReporter.onApplied(owner, 1, 10);
        reporter.tick(members, 0);

        FlowReporter.onApplied(owner, 2, context.flowWindow() / 4);
        assertEquals(context.flowStatusIntervalNs(), reporter.nextDueNs(members, 0));
        assertEquals(1, reporter.tick(members, context.flowStatusIntervalNs()));
        assertEquals(2, sent.size());
    }

    @Test
    void shouldReportNotificationsTakenWhetherOrNotTheCopyIsSynced()
    {
        owner.phase = Member.Phase.AWAITING_SNAPSHOT;
        FlowReporter.onApplied(owner, 5, 10);
        assertEquals(Long.MAX_VALUE, reporter.nextDueNs(members, 0), "rows of a copy not synced are not reported");

        FlowReporter.onDirectedApplied(owner, 3, 10);
        assertEquals(1, reporter.tick(members, 0));
        assertEquals(0, sent.get(0)[1], "no rows");
        assertEquals(3, sent.get(0)[2]);
        assertEquals(Long.MAX_VALUE, reporter.nextDueNs(members, 0), "nothing new to say of either");
        assertEquals(0, reporter.tick(members, 10_000 * MS));
    }

    private final class RecordingTransport implements Transport
    {
        public boolean sendRequest(final long peerNodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            assertEquals(OWNER, peerNodeId);
            final int bodyOffset = offset + FrameLayout.HEADER_LENGTH + FrameLayout.MESSAGE_HEADER_LENGTH;
            status.wrap(buffer, bodyOffset, length - (bodyOffset - offset));
            assertEquals(OWNER_INCARNATION, status.ownerIncarnation());
            sent.add(new long[]{ peerNodeId, status.appliedBroadcastSequence(), status.appliedDirectedSequence() });
            return true;
        }

        public String syncEndpoint()
        {
            throw new UnsupportedOperationException();
        }

        public String commandEndpoint()
        {
            throw new UnsupportedOperationException();
        }

        public OutboundBatcher outbound()
        {
            throw new UnsupportedOperationException();
        }

        public Peer addPeer(final long nodeId, final long incarnation, final String syncEndpoint,
            final String commandEndpoint)
        {
            throw new UnsupportedOperationException();
        }

        public boolean removePeer(final long nodeId)
        {
            throw new UnsupportedOperationException();
        }

        public Peer peer(final long nodeId)
        {
            throw new UnsupportedOperationException();
        }

        public boolean reply(final byte[] routingId, final DirectBuffer buffer, final int offset, final int length)
        {
            throw new UnsupportedOperationException();
        }

        public int connectSeed(final String commandEndpoint)
        {
            throw new UnsupportedOperationException();
        }

        public boolean sendToSeed(final int seedId, final DirectBuffer buffer, final int offset, final int length)
        {
            throw new UnsupportedOperationException();
        }

        public void disconnectSeeds()
        {
            throw new UnsupportedOperationException();
        }

        public void close()
        {
        }
    }
}
