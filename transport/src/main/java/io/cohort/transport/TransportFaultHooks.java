package io.cohort.transport;

/**
 * A factory of the fault hooks a {@link ZmqTransport} installs when it starts, for tests that break links between
 * real processes. Chosen by class name with {@link TransportConfiguration#FAULT_HOOKS_CLASS_PROP_NAME} (as Aeron's
 * {@code DebugSendChannelEndpoint} is chosen by a supplier class name) or set on {@link TransportContext}; none by
 * default, so production start-up neither loads nor installs any hook.
 * <p>
 * An implementation named by class has a public no-argument constructor; it may read its own settings from system
 * properties.
 */
public interface TransportFaultHooks
{
    /**
     * The hook for outgoing sync frames of the transport configured by {@code context}.
     *
     * @param context the transport's concluded configuration (its node id, for instance).
     * @return the hook, or null to send frames as they are.
     */
    SendFaultHook sendFaultHook(TransportContext context);

    /**
     * The hook for received sync frames of the transport configured by {@code context}.
     *
     * @param context the transport's concluded configuration (its node id, for instance).
     * @return the hook, or null to receive frames as they are.
     */
    ReceiveFaultHook receiveFaultHook(TransportContext context);
}
