package io.cohort.test;

/**
 * The line protocol between a parent and a child node process, one UTF-8 line each way per message:
 * <ul>
 * <li>the parent writes one command per line on the child's stdin, words separated by spaces;</li>
 * <li>the child answers every command, in order, with exactly one line {@code R OK [text]} or
 * {@code R ERR text};</li>
 * <li>in between, the child writes what happens to it unasked as {@code E NAME [text]} lines;</li>
 * <li>{@value #QUIT} (answered {@code R OK quit}) or the end of stdin ends the child's command loop.</li>
 * </ul>
 * Any other stdout line is not the protocol's and is ignored by the parent. The child side is
 * {@link CommandLoop}, the parent side {@link LineClient}.
 */
public final class LineProtocol
{
    /** Prefix of a reply line. */
    public static final String REPLY_PREFIX = "R ";
    /** Prefix of an event line. */
    public static final String EVENT_PREFIX = "E ";
    /** First word of a successful reply. */
    public static final String OK = "OK";
    /** First word of a failed reply. */
    public static final String ERR = "ERR";
    /** The command that ends the loop. */
    public static final String QUIT = "quit";

    private LineProtocol()
    {
    }

    /**
     * A successful reply.
     *
     * @param text what it answers, or empty.
     * @return {@code OK text}.
     */
    public static String ok(final Object text)
    {
        final String value = String.valueOf(text);
        return value.isEmpty() ? OK : OK + " " + value;
    }

    /**
     * A failed reply.
     *
     * @param text why, on one line.
     * @return {@code ERR text}.
     */
    public static String err(final Object text)
    {
        return ERR + " " + oneLine(String.valueOf(text));
    }

    /**
     * Whether a reply is a success.
     *
     * @param reply the reply, its {@code R } prefix removed.
     * @return true for {@code OK ...}.
     */
    public static boolean isOk(final String reply)
    {
        return reply.equals(OK) || reply.startsWith(OK + " ");
    }

    /**
     * The text of a successful reply.
     *
     * @param reply the reply, its {@code R } prefix removed.
     * @return what follows {@code OK }, empty if nothing does.
     */
    public static String okText(final String reply)
    {
        return reply.length() > OK.length() ? reply.substring(OK.length() + 1) : "";
    }

    /**
     * Text made fit for one line.
     *
     * @param text any text.
     * @return it with line breaks turned into spaces.
     */
    public static String oneLine(final String text)
    {
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
