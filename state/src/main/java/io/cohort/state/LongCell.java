package io.cohort.state;

/**
 * A mutable long the state's Chronicle maps store as eight bytes: the room table's key (a room id) and the
 * overflow map's value (a room id). Written and read by {@link LongCellMarshaller}, so the maps need no value
 * interface: Chronicle Values generates and compiles a class for each value interface with javac at run time,
 * which cost about two seconds of every node's start (measured 1.9 s for {@code LongValue} and the previous
 * overflow key in a fresh JVM). Not thread safe: each user keeps its own instance.
 */
final class LongCell
{
    private long value;

    /**
     * @return the value.
     */
    long get()
    {
        return value;
    }

    /**
     * @param value the value to hold.
     * @return this, for a lookup in one expression.
     */
    LongCell set(final long value)
    {
        this.value = value;
        return this;
    }
}
