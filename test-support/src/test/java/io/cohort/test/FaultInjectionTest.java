package io.cohort.test;

import io.cohort.codec.FrameLayout;
import io.cohort.transport.ReceiveFaultHook;
import io.cohort.transport.SendFaultHook;
import io.cohort.transport.TransportConfiguration;
import io.cohort.transport.TransportContext;
import io.cohort.transport.ZmqTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest
{
    private static final List<String> PROPERTIES = List.of(FaultInjection.TRIGGER_FILE_PROP_NAME,
        FaultInjection.DROP_FROM_PROP_NAME, FaultInjection.DROP_ONE_FROM_PROP_NAME,
        FaultInjection.CORRUPT_OUTGOING_PROP_NAME, TransportConfiguration.FAULT_HOOKS_CLASS_PROP_NAME);

    @TempDir
    File dir;

    @AfterEach
    void clearProperties()
    {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void shouldBeInstalledByClassNameAndDoNothingUntilTriggered() throws Exception
    {
        final File trigger = new File(dir, "trigger");
        System.setProperty(FaultInjection.TRIGGER_FILE_PROP_NAME, trigger.getPath());
        System.setProperty(FaultInjection.DROP_FROM_PROP_NAME, "0xa1, 7");
        System.setProperty(FaultInjection.DROP_ONE_FROM_PROP_NAME, "0xb2");
        System.setProperty(FaultInjection.CORRUPT_OUTGOING_PROP_NAME, "true");
        System.setProperty(TransportConfiguration.FAULT_HOOKS_CLASS_PROP_NAME, FaultInjection.class.getName());
        final TransportContext context = new TransportContext().nodeId(0xc3).bindAddress("127.0.0.1").conclude();
        final ReceiveFaultHook receive = context.faultHooks().receiveFaultHook(context);
        final SendFaultHook send = context.faultHooks().sendFaultHook(context);
        final byte[] frame = new byte[ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH + 8];

        assertFalse(receive.drop(0xa1, frame), "not triggered yet");
        assertEquals(1, send.copiesToSend(FrameLayout.BROADCAST, frame));
        assertEquals(0, frame[ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH], "not triggered yet");

        Files.createFile(trigger.toPath());
        Await.until("the trigger seen", 5_000, () -> receive.drop(7, frame));
        assertTrue(receive.drop(0xa1, frame), "a cut link drops every frame");
        assertTrue(receive.drop(0xb2, frame), "one frame of the lossy peer dropped");
        assertFalse(receive.drop(0xb2, frame), "only one");
        assertFalse(receive.drop(0xd4, frame), "others pass");
        assertEquals(1, send.copiesToSend(FrameLayout.BROADCAST, frame));
        assertEquals(1, frame[ZmqTransport.TOPIC_LENGTH + FrameLayout.HEADER_LENGTH], "a bit flipped after the header");
    }

    @Test
    void shouldRefuseToArmWithoutATriggerFile()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, FaultInjection::new);
        assertTrue(ex.getMessage().contains(FaultInjection.TRIGGER_FILE_PROP_NAME), ex.getMessage());
    }
}
