package io.cohort.state;


/**
 * Reads a {@link ConnectionTable} from one thread other than the writer's, through the table's sequence lock:
 * a read the writer overlapped is done again, so every answer is the table as it was between two writes.
 * Allocation-free; not thread safe itself (one per reading thread).
 */
final class ConnectionTableReader
{
    private final ConnectionTable table;
    private final OverflowKey overflowKey = new OverflowKey();
    private final LongCell overflowValue = new LongCell();

    ConnectionTableReader(final ConnectionTable table)
    {
        this.table = table;
    }

    /**
     * Whether a connection holds a room.
     */
    boolean contains(final long connectionId, final long roomId)
    {
        while (true)
        {
            final long seen = table.beginRead();
            boolean found = false;
            final long slot = table.readerFind(connectionId);
            if (slot >= 0)
            {
                final long at = table.slotAddress(slot);
                final int count = table.readerCount(at);
                for (int i = 0; i < count && !found; i++)
                {
                    found = roomAt(at, connectionId, i) == roomId;
                }
            }
            if (table.validRead(seen))
            {
                return found;
            }
        }
    }

    /**
     * Copies up to {@code dst.length} rooms of a connection.
     *
     * @return the rooms the connection holds (more than copied if {@code dst} is too short), 0 if unknown.
     */
    int copyRooms(final long connectionId, final long[] dst)
    {
        while (true)
        {
            final long seen = table.beginRead();
            int count = 0;
            final long slot = table.readerFind(connectionId);
            if (slot >= 0)
            {
                final long at = table.slotAddress(slot);
                count = table.readerCount(at);
                for (int i = 0, copied = Math.min(count, dst.length); i < copied; i++)
                {
                    dst[i] = roomAt(at, connectionId, i);
                }
            }
            if (table.validRead(seen))
            {
                return count;
            }
        }
    }

    private long roomAt(final long at, final long connectionId, final int index)
    {
        if (index < ConnectionTable.INLINE_ROOMS)
        {
            return ConnectionTable.inlineRoom(at, index);
        }
        overflowKey.setConnectionId(connectionId);
        overflowKey.setIndex(index);
        final LongCell value = table.overflow().getUsing(overflowKey, overflowValue);
        return null == value ? 0 : value.get();
    }
}
