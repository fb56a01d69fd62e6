package io.cohort.examples.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatProtocolTest
{
    private final ChatProtocol protocol = new ChatProtocol(16);

    @Test
    void shouldParseEveryVerb()
    {
        assertEquals(new ChatCommand(ChatCommand.Verb.SUB, "lobby", null), protocol.parse("SUB lobby"));
        assertEquals(new ChatCommand(ChatCommand.Verb.UNSUB, "a.b_c-9", null), protocol.parse("UNSUB a.b_c-9"));
        assertEquals(new ChatCommand(ChatCommand.Verb.COUNT, "lobby", null), protocol.parse("COUNT lobby"));
        assertEquals(new ChatCommand(ChatCommand.Verb.STATUS, null, null), protocol.parse("STATUS"));
        assertEquals(new ChatCommand(ChatCommand.Verb.NODE, null, null), protocol.parse("NODE"));
        assertEquals(new ChatCommand(ChatCommand.Verb.ROOMS, null, null), protocol.parse("ROOMS"));
        assertEquals(new ChatCommand(ChatCommand.Verb.ROOM, "lobby", null), protocol.parse("ROOM lobby"));
    }

    @Test
    void shouldKeepTheWholeTextOfAPublishSpacesIncluded()
    {
        final ChatCommand command = protocol.parse("PUB lobby  hello  wörld ");
        assertEquals(ChatCommand.Verb.PUB, command.verb());
        assertEquals("lobby", command.room());
        assertEquals(" hello  wörld ", command.text());
    }

    @Test
    void shouldCountTheTextLimitInUtf8Bytes()
    {
        assertEquals("x".repeat(16), protocol.parse("PUB r " + "x".repeat(16)).text());
        // 8 characters, 16 bytes: at the limit; one more is over it.
        assertEquals("é".repeat(8), protocol.parse("PUB r " + "é".repeat(8)).text());
        final ChatProtocolException error = assertThrows(ChatProtocolException.class,
            () -> protocol.parse("PUB r " + "é".repeat(8) + "x"));
        assertEquals(ChatProtocol.TOO_LONG, error.code());
        assertTrue(error.getMessage().contains("17 bytes"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                 | BAD_COMMAND",
        "FOO lobby          | BAD_COMMAND",
        "sub lobby          | BAD_COMMAND",
        "SUB                | BAD_COMMAND",
        "'SUB '             | BAD_ROOM",
        "SUB a b            | BAD_COMMAND",
        "SUB bad/room       | BAD_ROOM",
        "SUB école          | BAD_ROOM",
        "COUNT              | BAD_COMMAND",
        "STATUS now         | BAD_COMMAND",
        "NODE 1             | BAD_COMMAND",
        "ROOMS lobby        | BAD_COMMAND",
        "ROOM               | BAD_COMMAND",
        "ROOM bad/room      | BAD_ROOM",
        "PUB lobby          | BAD_COMMAND",
        "'PUB lobby '       | BAD_COMMAND",
        "'PUB  text'        | BAD_ROOM",
    })
    void shouldRejectBadFramesWithANamedCode(final String frame, final String code)
    {
        final ChatProtocolException error = assertThrows(ChatProtocolException.class, () -> protocol.parse(frame));
        assertEquals(code, error.code(), error.getMessage());
    }

    @Test
    void shouldRejectARoomNameLongerThanTheLimit()
    {
        assertEquals("r".repeat(ChatProtocol.MAX_ROOM_LENGTH),
            protocol.parse("SUB " + "r".repeat(ChatProtocol.MAX_ROOM_LENGTH)).room());
        final ChatProtocolException error = assertThrows(ChatProtocolException.class,
            () -> protocol.parse("SUB " + "r".repeat(ChatProtocol.MAX_ROOM_LENGTH + 1)));
        assertEquals(ChatProtocol.BAD_ROOM, error.code());
    }

    @Test
    void shouldKeepErrorFramesOnOneShortLine()
    {
        final ChatProtocolException error = assertThrows(ChatProtocolException.class,
            () -> protocol.parse("X".repeat(1000) + "\n"));
        final String frame = ChatProtocol.error(error.code(), error.getMessage());
        assertTrue(frame.startsWith("ERR BAD_COMMAND unknown command 'XXXX"), frame);
        assertTrue(frame.length() < 120, frame);
        assertEquals(-1, frame.indexOf('\n'), frame);
    }

    @Test
    void shouldFormatMessages()
    {
        assertEquals("MSG lobby hi there", ChatProtocol.message("lobby", "hi there"));
        assertNull(protocol.parse("STATUS").room());
    }
}
