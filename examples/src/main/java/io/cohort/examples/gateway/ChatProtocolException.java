package io.cohort.examples.gateway;

/**
 * A client frame that is not a valid command: the gateway answers it with {@code ERR <code> <message>} and changes
 * nothing.
 */
public final class ChatProtocolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * Creates the error.
     *
     * @param code    the short code sent to the client, e.g. {@link ChatProtocol#BAD_COMMAND}.
     * @param message a one-line explanation.
     */
    public ChatProtocolException(final String code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * The short code sent to the client.
     *
     * @return e.g. {@code BAD_ROOM}.
     */
    public String code()
    {
        return code;
    }
}
