package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicReference;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateReaderTest
{
    private SubscriptionState state;

    @AfterEach
    void after()
    {
        CloseHelper.close(state);
    }

    @Test
    void shouldReadWhatTheWriterPublished()
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, 1);
        state.subscribe(1, room);
        state.applyRemote(5, room, 4);
        final StateReader reader = state.newReader();

        assertEquals(5, reader.roomCount(room));
        assertEquals(4, reader.ownerCount(5, room));
        assertEquals(1, reader.ownerCount(LOCAL_NODE, room));
        assertEquals(state.ownerDigest(5), reader.ownerDigest(5));
        assertEquals(0, reader.ownerCount(0, room));
        state.removeOwner(5);
        assertEquals(RowDigest.EMPTY, reader.ownerDigest(5));
        assertEquals(1, reader.roomCount(room));
    }

    @Test
    @Timeout(30)
    void shouldNeverSeeACountOutsideWhatTheWriterWroteWhileItWrites() throws InterruptedException
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
        final long room = TestStates.createRoom(state, 1);
        final StateReader reader = state.newReader();
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            long previous = 0;
            for (int i = 0; i < 200_000 && null == problem.get(); i++)
            {
                final long count = reader.ownerCount(5, room);
                if (count < 0 || count > 3 || reader.roomCount(room) < 0)
                {
                    problem.set("count=" + count);
                }
                previous += count;
            }
            if (previous < 0)
            {
                problem.set("overflow");
            }
        });
        thread.start();
        for (int i = 0; thread.isAlive(); i++)
        {
            state.applyRemote(5, room, i % 4);
        }
        thread.join();

        assertNull(problem.get());
        assertTrue(state.ownerCount(5, room) <= 3);
    }
}
