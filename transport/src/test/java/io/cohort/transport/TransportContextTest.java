package io.cohort.transport;

import io.cohort.codec.CodecLimits;
import io.cohort.codec.FrameLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.cohort.transport.TransportConfiguration.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TransportContextTest
{
    @TempDir
    File dir;

    private static TransportContext valid()
    {
        return new TransportContext().nodeId(5).incarnation(1).bindAddress("127.0.0.1").curveKeyFile("");
    }

    static Stream<Arguments> invalidSettings()
    {
        final int minFrame = FrameLayout.MIN_FRAME_LENGTH + 1024;
        final int maxFrame = CodecLimits.DEFAULT.maxFrameLength();
        return Stream.of(
            arguments((UnaryOperator<TransportContext>)c -> c.nodeId(0), "nodeId=0"),
            arguments((UnaryOperator<TransportContext>)c -> c.commandPort(-1), COMMAND_PORT_PROP_NAME + "=-1"),
            arguments((UnaryOperator<TransportContext>)c -> c.commandPort(65536), COMMAND_PORT_PROP_NAME + "=65536"),
            arguments((UnaryOperator<TransportContext>)c -> c.syncPort(70000), SYNC_PORT_PROP_NAME + "=70000"),
            arguments((UnaryOperator<TransportContext>)c -> c.commandPort(7600).syncPort(7600),
                COMMAND_PORT_PROP_NAME + "=7600 must differ from " + SYNC_PORT_PROP_NAME + "=7600"),
            arguments((UnaryOperator<TransportContext>)c -> c.maxFrameLength(minFrame - 1),
                MAX_FRAME_LENGTH_PROP_NAME + "=" + (minFrame - 1)),
            arguments((UnaryOperator<TransportContext>)c -> c.maxFrameLength(maxFrame + 1),
                MAX_FRAME_LENGTH_PROP_NAME + "=" + (maxFrame + 1)),
            arguments((UnaryOperator<TransportContext>)c -> c.sendHighWaterMark(0), SEND_HWM_PROP_NAME + "=0"),
            arguments((UnaryOperator<TransportContext>)c -> c.receiveHighWaterMark(-3), RECEIVE_HWM_PROP_NAME + "=-3"),
            arguments((UnaryOperator<TransportContext>)c -> c.receiveBudget(0), RECEIVE_BUDGET_PROP_NAME + "=0"),
            arguments((UnaryOperator<TransportContext>)c -> c.receiveBuffer(4095), RECEIVE_BUFFER_PROP_NAME + "=4095"),
            arguments((UnaryOperator<TransportContext>)c -> c.receiveBuffer(-1), RECEIVE_BUFFER_PROP_NAME + "=-1"),
            arguments((UnaryOperator<TransportContext>)c -> c.maxCounters(0), MAX_COUNTERS_PROP_NAME + "=0"),
            arguments((UnaryOperator<TransportContext>)c -> c.bindAddress(" "), BIND_ADDRESS_PROP_NAME + "= "),
            arguments((UnaryOperator<TransportContext>)c -> c.bindAddress(null), BIND_ADDRESS_PROP_NAME + "=null"),
            arguments((UnaryOperator<TransportContext>)c -> c.curveKeyFile("/no/such/cohort.keys"),
                CURVE_KEY_FILE_PROP_NAME + "=/no/such/cohort.keys"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void shouldRejectInvalidSettingNamingIt(final UnaryOperator<TransportContext> change, final String expected)
    {
        final TransportContext context = change.apply(valid());

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);

        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void shouldAcceptBoundaryValues()
    {
        valid().commandPort(0).syncPort(0).conclude();
        valid().commandPort(65535).syncPort(1).conclude();
        valid().maxFrameLength(FrameLayout.MIN_FRAME_LENGTH + 1024).conclude();
        valid().maxFrameLength(CodecLimits.DEFAULT.maxFrameLength()).conclude();
        valid().sendHighWaterMark(1).receiveHighWaterMark(1).receiveBudget(1).maxCounters(1).conclude();
        valid().receiveBuffer(0).conclude();
        valid().receiveBuffer(RECEIVE_BUFFER_MIN).conclude();
    }

    @Test
    void shouldDefaultToTheSeedSystemPorts()
    {
        final TransportContext context = new TransportContext();

        assertEquals(COMMAND_PORT_DEFAULT, context.commandPort());
        assertEquals(SYNC_PORT_DEFAULT, context.syncPort());
        assertEquals(7510, COMMAND_PORT_DEFAULT);
        assertEquals(7511, SYNC_PORT_DEFAULT);
        assertEquals(MAX_FRAME_LENGTH_DEFAULT, context.maxFrameLength());
        assertEquals(SEND_HWM_DEFAULT, context.sendHighWaterMark());
        assertEquals(BIND_ADDRESS_DEFAULT, context.bindAddress());
    }

    @Test
    void shouldDeriveAdvertisedHostFromBindAddress()
    {
        assertEquals("127.0.0.1", valid().conclude().advertisedHost());
        assertEquals("10.1.2.3", valid().bindAddress("10.1.2.3").conclude().advertisedHost());
        assertEquals("node.example", valid().advertisedHost("node.example").conclude().advertisedHost());

        final String wildcard = valid().bindAddress("0.0.0.0").conclude().advertisedHost();
        assertFalse(wildcard.isBlank());
        assertFalse("0.0.0.0".equals(wildcard), "a wildcard bind advertises this host's address");
    }

    @Test
    void shouldLoadCurveKeysFromKeyFile() throws IOException
    {
        final CurveKeys keys = CurveKeys.generate();
        final File file = new File(dir, "cluster.keys");
        keys.write(file);

        final TransportContext context = valid().curveKeyFile(file.getPath()).conclude();

        assertArrayEquals(keys.publicKey(), context.curveKeys().publicKey());
        assertNull(valid().conclude().curveKeys(), "CURVE off without a key file");
    }

    @Test
    void shouldNameBadKeyFile() throws IOException
    {
        final File file = new File(dir, "broken.keys");
        Files.writeString(file.toPath(), "public=short\n");

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> valid().curveKeyFile(file.getPath()).conclude());

        assertTrue(ex.getMessage().contains(file.getPath()), ex.getMessage());
    }

    @Test
    void shouldPreferKeysGivenDirectlyOverKeyFile()
    {
        final CurveKeys keys = CurveKeys.generate();

        final TransportContext context = valid().curveKeys(keys).curveKeyFile("/no/such/file").conclude();

        assertArrayEquals(keys.publicKey(), context.curveKeys().publicKey());
    }

    @Test
    void shouldInstallNoFaultHooksByDefault()
    {
        assertEquals(FAULT_HOOKS_CLASS_DEFAULT, new TransportContext().faultHooksClassName());
        assertNull(valid().conclude().faultHooks(), "no fault hooks without a class name");
    }

    @Test
    void shouldInstantiateFaultHooksNamedBySystemProperty()
    {
        withProperty(FAULT_HOOKS_CLASS_PROP_NAME, DroppingHooks.class.getName(), () ->
        {
            final TransportFaultHooks hooks = valid().conclude().faultHooks();
            assertTrue(hooks instanceof DroppingHooks, String.valueOf(hooks));
            assertTrue(hooks.receiveFaultHook(valid()).drop(1, new byte[0]));
        });
    }

    @Test
    void shouldNameAFaultHooksClassThatIsNotOne()
    {
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> valid().faultHooksClassName("no.such.Hooks").conclude());
        assertTrue(missing.getMessage().contains(FAULT_HOOKS_CLASS_PROP_NAME + "=no.such.Hooks"), missing.getMessage());

        final IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
            () -> valid().faultHooksClassName(String.class.getName()).conclude());
        assertTrue(wrongType.getMessage().contains(FAULT_HOOKS_CLASS_PROP_NAME + "=java.lang.String"),
            wrongType.getMessage());
    }

    /**
     * Fault hooks named by class: every received frame dropped, sent frames untouched.
     */
    public static final class DroppingHooks implements TransportFaultHooks
    {
        /**
         * As the context instantiates it.
         */
        public DroppingHooks()
        {
        }

        public SendFaultHook sendFaultHook(final TransportContext context)
        {
            return null;
        }

        public ReceiveFaultHook receiveFaultHook(final TransportContext context)
        {
            return (peerNodeId, message) -> true;
        }
    }

    @Test
    void shouldReadSystemProperties()
    {
        withProperty(COMMAND_PORT_PROP_NAME, " 7600 ", () -> assertEquals(7600, new TransportContext().commandPort()));
        withProperty(MAX_FRAME_LENGTH_PROP_NAME, "128k",
            () -> assertEquals(128 * 1024, new TransportContext().maxFrameLength()));
        withProperty(MAX_FRAME_LENGTH_PROP_NAME, "1m",
            () -> assertEquals(1024 * 1024, new TransportContext().maxFrameLength()));
        withProperty(BIND_ADDRESS_PROP_NAME, "127.0.0.2",
            () -> assertEquals("127.0.0.2", new TransportContext().bindAddress()));
    }

    @Test
    void shouldNameMalformedSystemProperty()
    {
        withProperty(SYNC_PORT_PROP_NAME, "seven", () ->
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, TransportContext::new);
            assertTrue(ex.getMessage().contains(SYNC_PORT_PROP_NAME + "=seven"), ex.getMessage());
        });
        withProperty(MAX_FRAME_LENGTH_PROP_NAME, "lots", () ->
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, TransportContext::new);
            assertTrue(ex.getMessage().contains(MAX_FRAME_LENGTH_PROP_NAME + "=lots"), ex.getMessage());
        });
        withProperty(MAX_FRAME_LENGTH_PROP_NAME, "4g", () ->
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, TransportContext::new);
            assertTrue(ex.getMessage().contains(MAX_FRAME_LENGTH_PROP_NAME + "=4g"), ex.getMessage());
        });
    }

    private static void withProperty(final String name, final String value, final Runnable test)
    {
        final String previous = System.getProperty(name);
        System.setProperty(name, value);
        try
        {
            test.run();
        }
        finally
        {
            if (null == previous)
            {
                System.clearProperty(name);
            }
            else
            {
                System.setProperty(name, previous);
            }
        }
    }
}
