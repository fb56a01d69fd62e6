package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RowDigestTest
{
    private static final long OWNER = 0xABCL;

    private SubscriptionState first;
    private SubscriptionState second;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(first, second);
    }

    @Test
    void shouldKeepGoldenMixValues()
    {
        assertEquals(0xE220A8397B1DCDAFL, RowDigest.mix64(0));
        assertEquals(0x86D6FD953217AE03L, RowDigest.mix(1, 1));
        assertEquals(0xDE717F845288F082L, RowDigest.mix(0x1234567890ABCDEFL, 42));
        assertEquals(0, RowDigest.mix(12345, 0));
    }

    @Test
    void shouldUpdateInConstantTimeToTheSumOfRows()
    {
        long digest = RowDigest.EMPTY;
        digest = RowDigest.update(digest, 1, 0, 5);
        digest = RowDigest.update(digest, 2, 0, 1);
        digest = RowDigest.update(digest, 1, 5, 3);
        digest = RowDigest.update(digest, 2, 1, 0);

        assertEquals(RowDigest.mix(1, 3), digest);
        assertEquals(RowDigest.EMPTY, RowDigest.update(digest, 1, 3, 0));
    }

    @Test
    void shouldBeEqualAfterDifferentOrdersOfTheSameFinalRows()
    {
        first = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        second = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final List<long[]> updates = new ArrayList<>();
        final Random random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            updates.add(new long[]{ 1 + random.nextInt(40), random.nextInt(4) });
        }
        for (final long[] update : updates)
        {
            first.applyRemote(OWNER, update[0], update[1]);
        }
        // The second replica sees a shuffled history that ends in the same rows, plus detours.
        Collections.shuffle(updates, random);
        for (final long[] update : updates)
        {
            second.applyRemote(OWNER, update[0], update[1] + 7);
            second.applyRemote(OWNER, update[0], update[1]);
        }
        for (long room = 1; room <= 40; room++)
        {
            second.applyRemote(OWNER, room, first.ownerCount(OWNER, room));
        }

        assertEquals(first.ownerRows(OWNER), second.ownerRows(OWNER));
        assertEquals(first.ownerDigest(OWNER), second.ownerDigest(OWNER));
        assertNotEquals(RowDigest.EMPTY, first.ownerDigest(OWNER));
    }

    @Test
    void shouldDifferAfterOneDifferingCount()
    {
        first = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        second = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        for (long room = 1; room <= 30; room++)
        {
            first.applyRemote(OWNER, room, room);
            second.applyRemote(OWNER, room, room);
        }
        assertEquals(first.ownerDigest(OWNER), second.ownerDigest(OWNER));

        second.applyRemote(OWNER, 17, 18);
        assertNotEquals(first.ownerDigest(OWNER), second.ownerDigest(OWNER));

        second.applyRemote(OWNER, 17, 17);
        second.applyRemote(OWNER, 31, 1);
        assertNotEquals(first.ownerDigest(OWNER), second.ownerDigest(OWNER));
    }

    @Test
    void shouldDigestLocalRowsLikeRemoteRows()
    {
        first = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        second = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(first, 1);
        first.subscribe(1, room);
        first.subscribe(2, room);
        first.subscribe(3, room);
        first.unsubscribe(2, room);

        second.applyRemote(TestStates.LOCAL_NODE + 1, room, 2);

        assertEquals(second.ownerDigest(TestStates.LOCAL_NODE + 1), first.ownerDigest(TestStates.LOCAL_NODE));
    }
}
