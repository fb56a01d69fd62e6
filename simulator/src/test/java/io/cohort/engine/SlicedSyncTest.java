package io.cohort.engine;

import io.cohort.codec.MessageType;
import io.cohort.state.StateResult;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots served, loaded and replayed in slices by the real core on the simulated network and clock: a node
 * serving a snapshot works a bounded number of rows per duty cycle while its rows change between cycles, the
 * joiner's copy still ends equal to the owner (checked against the digest at the snapshot's end), the join
 * buffer is bounded, and the number of snapshots served at once is bounded.
 */
class SlicedSyncTest
{
    private static final int ROOMS = 1500;

    private final SimNetwork network = new SimNetwork(42, ms(1), ms(1), ms(20));
    private final List<SimNode> nodes = new ArrayList<>();
    private final Random random = new Random(3);
    private long[] rooms;

    @AfterEach
    void tearDown()
    {
        nodes.forEach(CloseHelper::quietClose);
    }

    private SimNode node(final long nodeId, final CohortContext context)
    {
        context
            .heartbeatIntervalNs(ms(50))
            .heartbeatTimeoutNs(ms(500))
            .commandTimeoutNs(ms(400))
            .joinTimeoutNs(ms(10_000))
            .sliceBudgetNs(TimeUnit.MICROSECONDS.toNanos(100));
        // Frames of about 250 counts: loading one is a unit well inside the 400 rows of the slice budget.
        context.stateContext().maxRooms(4096).maxConnections(8192).maxNodes(6).maxOverflowSubscriptions(1024)
            .maxFilterBytes(256).snapshotFrameLength(4096);
        final SimNode node = new SimNode(network, nodeId, context, new CohortListener()
        {
        });
        nodes.add(node);
        return node;
    }

    private SimNode ownerWithRows()
    {
        final SimNode owner = node(1, new CohortContext().snapshotCredit(2));
        owner.start(List.of());
        rooms = new long[ROOMS];
        for (int i = 0; i < ROOMS; i++)
        {
            rooms[i] = owner.createRoom("room-" + i);
            owner.core().subscribe(1 + i, rooms[i]);
        }
        network.runFor(ms(50));
        return owner;
    }

    private void churn(final SimNode owner, final int changes)
    {
        for (int i = 0; i < changes; i++)
        {
            final long connection = 1 + random.nextInt(ROOMS * 2);
            final long room = rooms[random.nextInt(ROOMS)];
            if (random.nextInt(3) == 0)
            {
                owner.core().unsubscribe(connection, room);
            }
            else
            {
                owner.core().subscribe(connection, room);
            }
        }
    }

    private void assertReplicasEqualOwners()
    {
        for (final SimNode owner : network.nodes())
        {
            for (final SimNode replica : network.nodes())
            {
                assertEquals(owner.state().ownerDigest(owner.nodeId()), replica.state().ownerDigest(owner.nodeId()),
                    "replica " + replica.nodeId() + " of owner " + owner.nodeId());
                assertEquals(owner.state().ownerRows(owner.nodeId()), replica.state().ownerRows(owner.nodeId()));
            }
        }
    }

    @Test
    void shouldServeASnapshotAcrossManyCyclesWhileRowsChangeAndEndEqualToTheOwner()
    {
        final SimNode owner = ownerWithRows();
        final SimNode joiner = node(2, new CohortContext());
        joiner.start(List.of(owner));

        int cyclesServing = 0;
        for (int step = 0; step < 5000 && !joiner.runningAndSynced(); step++)
        {
            if (owner.core().snapshotServer().activeSessions() > 0)
            {
                cyclesServing++;
            }
            // Rows change between every two slices of the snapshot.
            churn(owner, 20);
            network.runFor(ms(1));
        }
        assertTrue(joiner.runningAndSynced(), () -> "joiner " + joiner.core().state() + " " + joiner.core().member(1));
        network.runFor(ms(200));

        assertReplicasEqualOwners();
        final SnapshotServer server = owner.core().snapshotServer();
        assertTrue(cyclesServing >= 5, "served over " + cyclesServing + " cycles");
        assertEquals(1, server.served());
        assertTrue(server.segmentsWritten() >= 2, "segments " + server.segmentsWritten());
        final MemberSync sync = joiner.core().memberSync();
        assertEquals(1, sync.slicedSnapshotsVerified(), "the copy was checked against the digest at E");
        assertEquals(0, sync.snapshotDigestMismatches());
        assertTrue(sync.chunksLoaded() > 2, "chunks " + sync.chunksLoaded());
        assertTrue(sync.messagesReplayed() > 0);

        // No duty cycle of either node did more than the budget of rows plus one unit of work.
        for (final SimNode node : List.of(owner, joiner))
        {
            final SliceBudget budget = node.core().sliceBudget();
            assertEquals(400, budget.maxRows());
            assertTrue(budget.largestUnit() < budget.maxRows(), "unit " + budget.largestUnit());
            assertTrue(budget.peakRows() < budget.maxRows() + budget.largestUnit(),
                "node " + node.nodeId() + " peak " + budget.peakRows() + " unit " + budget.largestUnit());
        }
        assertTrue(owner.errors().isEmpty(), owner.errors().toString());
        assertTrue(joiner.errors().isEmpty(), joiner.errors().toString());
    }

    @Test
    void shouldSendTheRecordsOfManyRemovedRoomsInSlicesThatAJoinerKeeps()
    {
        final SimNode owner = ownerWithRows();
        // 1,000 rooms made and removed: 1,000 removal records, read a few hundred history slots per step.
        final int removed = 1000;
        for (int i = 0; i < removed; i++)
        {
            final long room = owner.createRoom("gone-" + i);
            assertEquals(StateResult.ROOM_REMOVED, owner.core().removeRoom(room));
        }
        network.runFor(ms(50));
        final SimNode joiner = node(2, new CohortContext());
        joiner.start(List.of(owner));
        assertTrue(network.runUntil(joiner::runningAndSynced, ms(5000)), () -> "joiner " + joiner.core().state());

        assertEquals(removed, joiner.core().roomHistory().removalsImported(), "every record was sent and kept");
        for (final SimNode node : List.of(owner, joiner))
        {
            final SliceBudget budget = node.core().sliceBudget();
            assertTrue(budget.peakRows() < budget.maxRows() + budget.largestUnit(),
                "node " + node.nodeId() + " peak " + budget.peakRows() + " unit " + budget.largestUnit());
            assertTrue(budget.largestUnit() < budget.maxRows(), "unit " + budget.largestUnit());
        }
        assertTrue(owner.errors().isEmpty(), owner.errors().toString());
        assertTrue(joiner.errors().isEmpty(), joiner.errors().toString());
    }

    @Test
    void shouldRestartTheSyncAndCountItWhenTheJoinBufferOverflows()
    {
        final SimNode owner = ownerWithRows();
        final int bound = 64 * 1024;
        final SimNode joiner = node(2, new CohortContext().joinBufferMax(bound));
        joiner.start(List.of(owner));
        final MemberSync sync = joiner.core().memberSync();

        int maxBuffered = 0;
        for (int step = 0; step < 400 && 0 == sync.joinBufferOverflows(); step++)
        {
            // Far more changes than the joiner's buffer holds while the snapshot is served in slices.
            churn(owner, 300);
            network.runFor(ms(1));
            final Member member = joiner.core().member(1);
            if (null != member)
            {
                maxBuffered = Math.max(maxBuffered, member.bufferedLength);
            }
        }
        assertEquals(1, sync.joinBufferOverflows());
        final Member member = joiner.core().member(1);
        assertEquals(Member.Phase.AWAITING_BASELINE, member.phase);
        assertNull(member.buffered);
        assertTrue(maxBuffered <= bound, "buffered " + maxBuffered);

        // Once the owner is quieter, the sync started over completes and the copy is exact.
        assertTrue(network.runUntil(() -> joiner.runningAndSynced(), ms(5000)),
            () -> "joiner " + joiner.core().state() + " " + joiner.core().member(1));
        network.runFor(ms(200));
        assertReplicasEqualOwners();
        assertEquals(1, sync.joinBufferOverflows());
    }

    @Test
    void shouldDropABufferedMessageOnlyBeforeTheSnapshotIsAsked()
    {
        final SimNode owner = ownerWithRows();
        final SimNode joiner = node(2, new CohortContext());
        joiner.start(List.of(owner));
        assertTrue(network.runUntil(() -> null != joiner.core().member(1), ms(2000)));
        final Member member = joiner.core().member(1);
        final UnsafeBuffer body = new UnsafeBuffer(new byte[16]);
        if (Member.Phase.AWAITING_BASELINE == member.phase)
        {
            joiner.core().memberSync().buffer(member, 1, MessageType.ROOM_COUNT, body, 0, body.capacity());
            assertEquals(0, member.bufferedLength, "no snapshot asked yet: its S will cover this message");
        }
        assertTrue(network.runUntil(() -> Member.Phase.AWAITING_SNAPSHOT == member.phase, ms(2000)));
        final int before = member.bufferedLength;
        joiner.core().memberSync().buffer(member, Long.MAX_VALUE - 1, MessageType.ROOM_COUNT, body, 0,
            body.capacity());
        assertEquals(before + Member.BUFFERED_BODY_OFFSET + body.capacity(), member.bufferedLength);
    }

    @Test
    void shouldServeAtMostTheConfiguredSessionsAtOnceAndTheOthersLater()
    {
        final SimNode owner = node(1, new CohortContext().snapshotCredit(1).snapshotMaxSessions(1));
        owner.start(List.of());
        rooms = new long[ROOMS];
        for (int i = 0; i < ROOMS; i++)
        {
            rooms[i] = owner.createRoom("room-" + i);
            owner.core().subscribe(1 + i, rooms[i]);
        }
        network.runFor(ms(50));
        final SimNode second = node(2, new CohortContext());
        final SimNode third = node(3, new CohortContext());
        second.start(List.of(owner));
        third.start(List.of(owner));

        int maxSessions = 0;
        for (int step = 0; step < 10_000 && !(second.runningAndSynced() && third.runningAndSynced()); step++)
        {
            maxSessions = Math.max(maxSessions, owner.core().snapshotServer().activeSessions());
            network.runFor(ms(1));
        }
        assertTrue(second.runningAndSynced() && third.runningAndSynced(),
            () -> second.core().state() + " " + third.core().state());
        network.runFor(ms(200));
        assertReplicasEqualOwners();
        assertEquals(1, maxSessions);
        assertTrue(owner.core().snapshotServer().refused() >= 1, "refused " + owner.core().snapshotServer().refused());
        assertEquals(2, owner.core().snapshotServer().served());
    }
}
