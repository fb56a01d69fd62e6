package io.cohort.state;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Room ids are part of the protocol: these values must never change.
 */
class RoomIdsTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|EF46DB3751D8E999",
        "a|D24EC4F1A98C6E5B",
        "abc|44BC2CF5AD770999",
        "Nobody inspects the spammish repetition|FBCEA83C8A378BF1" })
    void shouldMatchPublishedXxh64Vectors(final String input, final String expectedHex)
    {
        final byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);

        assertEquals(Long.parseUnsignedLong(expectedHex, 16), RoomIds.xxh64(new UnsafeBuffer(bytes), 0, bytes.length, 0));
    }

    @Test
    void shouldMatchChronicleXxh64AtEveryLengthAndOffset()
    {
        final Random random = new Random(7);
        final byte[] bytes = new byte[300];
        random.nextBytes(bytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int length = 0; length <= 200; length++)
        {
            final int offset = random.nextInt(100);
            final long seed = length % 3 == 0 ? 0 : random.nextLong();
            assertEquals(
                LongHashFunction.xx_r39(seed).hashBytes(bytes, offset, length),
                RoomIds.xxh64(buffer, offset, length, seed),
                "length=" + length);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|''|''|EF6EB604187A17FA",
        "products|catalog|{\"price\":{\"lt\":10}}|6FF7511930140B23",
        "ab|c|''|2BD1AEA3F73EF5D2",
        "a|bc|''|207EC88F888469F4" })
    void shouldKeepGoldenRoomIds(final String index, final String collection, final String filter, final String hex)
    {
        final long expected = Long.parseUnsignedLong(hex, 16);
        final UnsafeBuffer metadata = TestStates.metadata(index, collection, filter.getBytes(StandardCharsets.UTF_8));

        assertEquals(expected, RoomIds.roomId(index, collection, filter.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, RoomIds.roomId(metadata, 0, metadata.capacity()));
    }

    @Test
    void shouldKeepGoldenRoomIdsForUnicodeNamesAndBinaryFilters()
    {
        final byte[] filter = new byte[100];
        for (int i = 0; i < filter.length; i++)
        {
            filter[i] = (byte)i;
        }

        assertEquals(0x214256295D602657L, RoomIds.roomId("índice", "コレクション", new byte[]{ 0, 1, 2, (byte)255 }));
        assertEquals(0x03CAC48FFC2E97BFL, RoomIds.roomId("idx", "col", filter));
    }

    @Test
    void shouldSeparateFieldBoundaries()
    {
        assertNotEquals(RoomIds.roomId("ab", "c", new byte[0]), RoomIds.roomId("a", "bc", new byte[0]));
        assertNotEquals(RoomIds.roomId("a", "", "b".getBytes()), RoomIds.roomId("a", "b", new byte[0]));
    }

    @Test
    void shouldHashTheMetadataWhereverItLies()
    {
        final UnsafeBuffer metadata = TestStates.metadata("index", "collection", new byte[]{ 9, 8, 7 });
        final UnsafeBuffer shifted = new UnsafeBuffer(new byte[metadata.capacity() + 13]);
        shifted.putBytes(13, metadata, 0, metadata.capacity());

        assertEquals(RoomIds.roomId(metadata, 0, metadata.capacity()), RoomIds.roomId(shifted, 13, metadata.capacity()));
    }
}
