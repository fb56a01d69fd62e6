package io.cohort.state;

import net.openhft.chronicle.bytes.Byteable;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.values.Values;

/**
 * Reusable {@link LongValue} keys backed by off-heap memory. Chronicle's data access for a values-interface key
 * uses a native reference as it is, but copies a heap instance into its own native instance on every query
 * (an interface call and a copy per lookup); the hot paths do several lookups per operation, so their keys are
 * native. Each key owns an 8-byte native store, released with {@link #release(LongValue)}.
 */
final class NativeKeys
{
    private NativeKeys()
    {
    }

    /**
     * A new key bound to its own 8 bytes of native memory.
     *
     * @return the key, holding 0.
     */
    static LongValue newLongKey()
    {
        final LongValue key = Values.newNativeReference(LongValue.class);
        final BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(Long.BYTES);
        ((Byteable)key).bytesStore(store, 0, Long.BYTES);
        key.setValue(0);
        return key;
    }

    /**
     * Frees the native memory of a key made by {@link #newLongKey()}; the key is unusable after.
     *
     * @param key the key, or null (ignored).
     */
    static void release(final LongValue key)
    {
        if (null != key)
        {
            final BytesStore<?, ?> store = ((Byteable)key).bytesStore();
            if (null != store && store.refCount() > 0)
            {
                store.releaseLast();
            }
        }
    }
}
