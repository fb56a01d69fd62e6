package io.cohort.state;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.cohort.state.TestStates.LOCAL_NODE;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misuse of the API is an IllegalArgumentException naming the offending value.
 */
class MisuseTest
{
    private static SubscriptionState state;

    @BeforeAll
    static void beforeAll()
    {
        state = new SubscriptionState(TestStates.smallContext(), (roomId, previousCount, newCount) -> { });
    }

    @AfterAll
    static void afterAll()
    {
        CloseHelper.close(state);
    }

    static Stream<Arguments> misuses()
    {
        return Stream.of(
            misuse("connectionId=0", s -> s.subscribe(0, 1)),
            misuse("roomId=0", s -> s.subscribe(1, 0)),
            misuse("connectionId=0", s -> s.unsubscribe(0, 1)),
            misuse("roomId=0", s -> s.unsubscribe(1, 0)),
            misuse("connectionId=0", s -> s.disconnect(0)),
            misuse("ownerNodeId=0", s -> s.applyRemote(0, 1, 1)),
            misuse("ownerNodeId=" + LOCAL_NODE, s -> s.applyRemote(LOCAL_NODE, 1, 1)),
            misuse("roomId=0", s -> s.applyRemote(5, 0, 1)),
            misuse("count=-1", s -> s.applyRemote(5, 1, -1)),
            misuse("ownerNodeId=" + LOCAL_NODE, s -> s.removeOwner(LOCAL_NODE)),
            misuse("ownerNodeId=0", s -> s.removeOwner(0)),
            misuse("roomId=0", s -> s.removeRoom(0)),
            misuse("roomId=0", s -> s.createRoom(0, TestStates.metadata("i", "c", new byte[0]), 0, 14)),
            misuse("length=3", s -> s.createRoom(1, TestStates.metadata("i", "c", new byte[0]), 0, 3)),
            misuse("dst.length=0", s ->
            {
                final long room = RoomIds.roomId("i", "c", new byte[0]);
                s.createRoom(room, TestStates.metadata("i", "c", new byte[0]), 0, 14);
                s.subscribe(9, room);
                s.connectionRooms(9, new long[0]);
            }));
    }

    private static Arguments misuse(final String expected, final Consumer<SubscriptionState> call)
    {
        return Arguments.of(expected, call);
    }

    @ParameterizedTest
    @MethodSource("misuses")
    void shouldThrowNamingTheValue(final String expected, final Consumer<SubscriptionState> call)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> call.accept(state));

        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
