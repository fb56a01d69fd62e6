package io.cohort.state;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.SizedReader;
import net.openhft.chronicle.hash.serialization.SizedWriter;
import net.openhft.chronicle.hash.serialization.impl.EnumMarshallable;

/**
 * Writes a {@link LongCell} into a Chronicle map entry as eight bytes and reads it back into the caller's
 * instance: no code generation at start, and no allocation when the caller passes its own cell. Stateless.
 */
final class LongCellMarshaller
    implements SizedReader<LongCell>, SizedWriter<LongCell>, EnumMarshallable<LongCellMarshaller>
{
    /** The only instance (a class, not an enum: Chronicle Map refuses enum marshallers). */
    static final LongCellMarshaller INSTANCE = new LongCellMarshaller();

    /** Bytes of a cell in an entry. */
    static final int SIZE = Long.BYTES;

    /**
     * {@inheritDoc}
     */
    public LongCell read(final Bytes<?> in, final long size, final LongCell using)
    {
        return (null == using ? new LongCell() : using).set(in.readLong());
    }

    /**
     * {@inheritDoc}
     */
    public long size(final LongCell toWrite)
    {
        return SIZE;
    }

    /**
     * {@inheritDoc}
     */
    public void write(final Bytes<?> out, final long size, final LongCell toWrite)
    {
        out.writeLong(toWrite.get());
    }

    private LongCellMarshaller()
    {
    }

    /**
     * {@inheritDoc}
     */
    public LongCellMarshaller readResolve()
    {
        return INSTANCE;
    }
}
