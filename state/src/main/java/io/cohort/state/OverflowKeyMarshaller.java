package io.cohort.state;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * Writes an {@link OverflowKey} into a Chronicle map entry as twelve bytes (connection id, index) and reads it back
 * into the caller's instance: no code generation at start, and no allocation when the caller passes its own key.
 * Stateless.
 */
final class OverflowKeyMarshaller
    implements SizedReader<OverflowKey>, SizedWriter<OverflowKey>, EnumMarshallable<OverflowKeyMarshaller>
{
    /** The only instance (a class, not an enum: Chronicle Map refuses enum marshallers). */
    static final OverflowKeyMarshaller INSTANCE = new OverflowKeyMarshaller();

    /** Bytes of a key in an entry. */
    static final int SIZE = Long.BYTES + Integer.BYTES;

    /**
     * {@inheritDoc}
     */
    public OverflowKey read(final Bytes<?> in, final long size, final OverflowKey using)
    {
        final OverflowKey key = null == using ? new OverflowKey() : using;
        key.setConnectionId(in.readLong());
        key.setIndex(in.readInt());
        return key;
    }

    /**
     * {@inheritDoc}
     */
    public long size(final OverflowKey toWrite)
    {
        return SIZE;
    }

    /**
     * {@inheritDoc}
     */
    public void write(final Bytes<?> out, final long size, final OverflowKey toWrite)
    {
        out.writeLong(toWrite.getConnectionId());
        out.writeInt(toWrite.getIndex());
    }

    private OverflowKeyMarshaller()
    {
    }

    /**
     * {@inheritDoc}
     */
    public OverflowKeyMarshaller readResolve()
    {
        return INSTANCE;
    }
}
