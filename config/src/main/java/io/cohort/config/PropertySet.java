package io.cohort.config;

import org.agrona.SystemUtil;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The system properties one Configuration class declares, and the only way Cohort reads them. The names are the
 * class's {@code public static final String *_PROP_NAME} constants, collected once by {@link #of(Class)}, so the
 * constants stay the one place a name is written; reading a name the class does not declare is a programming
 * error and throws {@link IllegalStateException}, which keeps {@link #names()} complete.
 * <p>
 * Values are parsed by the static {@code parse*} methods: durations and sizes with Agrona's
 * {@link SystemUtil#parseDuration(String, String)} and {@link SystemUtil#parseSize(String, String)} (suffixes
 * {@code ns, us, ms, s} and {@code k, m, g}), integers, booleans, enums and strings. Surrounding blanks are
 * ignored. A bad value throws {@link IllegalArgumentException} naming {@code name=value} with the value as the
 * user wrote it (e.g. {@code cohort.heartbeat.timeout=2x}), never a converted one.
 * <pre>{@code
 * public static final PropertySet PROPERTIES = PropertySet.of(MyConfiguration.class);
 * private long timeoutNs = PROPERTIES.durationNs(TIMEOUT_PROP_NAME, TIMEOUT_DEFAULT);
 * }</pre>
 */
public final class PropertySet
{
    /** Suffix of the constants that name a property. */
    public static final String PROP_NAME_SUFFIX = "_PROP_NAME";

    private final Class<?> declaringClass;
    private final Set<String> names;

    private PropertySet(final Class<?> declaringClass, final Set<String> names)
    {
        this.declaringClass = declaringClass;
        this.names = Collections.unmodifiableSet(names);
    }

    /**
     * The properties a class declares: the values of its {@code public static final String *_PROP_NAME}
     * constants, in declaration order.
     *
     * @param declaringClass the Configuration (or Context) class holding the constants.
     * @return the declared properties.
     * @throws IllegalStateException if the class declares none or declares one name twice.
     */
    public static PropertySet of(final Class<?> declaringClass)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final Field field : declaringClass.getDeclaredFields())
        {
            final int modifiers = field.getModifiers();
            if (field.getName().endsWith(PROP_NAME_SUFFIX) && String.class == field.getType() &&
                Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers))
            {
                final String name;
                try
                {
                    name = (String)field.get(null);
                }
                catch (final IllegalAccessException ex)
                {
                    throw new IllegalStateException(declaringClass.getName() + "." + field.getName(), ex);
                }
                if (!names.add(name))
                {
                    throw new IllegalStateException(declaringClass.getName() + " declares " + name + " twice");
                }
            }
        }
        if (names.isEmpty())
        {
            throw new IllegalStateException(declaringClass.getName() + " declares no *" + PROP_NAME_SUFFIX);
        }
        return new PropertySet(declaringClass, names);
    }

    /**
     * The class whose constants declare these properties.
     *
     * @return the declaring class.
     */
    public Class<?> declaringClass()
    {
        return declaringClass;
    }

    /**
     * Every declared property name, in declaration order.
     *
     * @return an unmodifiable set.
     */
    public Set<String> names()
    {
        return names;
    }

    /**
     * Whether a property is declared here.
     *
     * @param name the property name.
     * @return true if it is one of {@link #names()}.
     */
    public boolean contains(final String name)
    {
        return names.contains(name);
    }

    /**
     * A string property, as written.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset.
     * @return the value.
     */
    public String string(final String name, final String defaultValue)
    {
        final String value = read(name);
        return null == value ? defaultValue : value;
    }

    /**
     * An integer property.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset.
     * @return the value.
     * @throws IllegalArgumentException naming {@code name=value} if it is not an integer.
     */
    public int intValue(final String name, final int defaultValue)
    {
        final String value = read(name);
        return null == value ? defaultValue : parseInt(name, value);
    }

    /**
     * A boolean property.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset, {@code true} or {@code false}.
     * @return the value.
     * @throws IllegalArgumentException naming {@code name=value} if it is not true or false.
     */
    public boolean booleanValue(final String name, final String defaultValue)
    {
        return parseBoolean(name, string(name, defaultValue));
    }

    /**
     * A duration property, e.g. {@code 100ms} or {@code 2s}.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset, with its suffix.
     * @return nanoseconds.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a duration.
     */
    public long durationNs(final String name, final String defaultValue)
    {
        return parseDurationNs(name, string(name, defaultValue));
    }

    /**
     * A size property, e.g. {@code 65536}, {@code 64k} or {@code 1m} (powers of 1024).
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset.
     * @return the size.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a size.
     */
    public long size(final String name, final long defaultValue)
    {
        final String value = read(name);
        return null == value ? defaultValue : parseSize(name, value);
    }

    /**
     * A size property that must fit an int and not pass a maximum.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset, with its suffix.
     * @param max          the largest value accepted, at most {@link Integer#MAX_VALUE}.
     * @return the size.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a size or is above {@code max}.
     */
    public int intSize(final String name, final String defaultValue, final int max)
    {
        return parseIntSize(name, string(name, defaultValue), max);
    }

    /**
     * A size property that must fit an int and not pass a maximum.
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset.
     * @param max          the largest value accepted, at most {@link Integer#MAX_VALUE}.
     * @return the size.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a size or is above {@code max}.
     */
    public int intSize(final String name, final int defaultValue, final int max)
    {
        final String value = read(name);
        return null == value ? defaultValue : parseIntSize(name, value, max);
    }

    /**
     * An enum property, written as the constant's name in any case, with {@code -} for {@code _}
     * (e.g. {@code keep-majority} for {@code KEEP_MAJORITY}).
     *
     * @param name         a declared property.
     * @param defaultValue its value when unset, written the same way.
     * @param type         the enum.
     * @param <E>          the enum type.
     * @return the constant.
     * @throws IllegalArgumentException naming {@code name=value} and the accepted values.
     */
    public <E extends Enum<E>> E enumValue(final String name, final String defaultValue, final Class<E> type)
    {
        return parseEnum(name, string(name, defaultValue), type);
    }

    /**
     * Parses an integer.
     *
     * @param name  the property, for the message.
     * @param value the value as written.
     * @return the integer.
     * @throws IllegalArgumentException naming {@code name=value} if it is not an integer.
     */
    public static int parseInt(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not an integer", ex);
        }
    }

    /**
     * Parses {@code true} or {@code false}, in any case.
     *
     * @param name  the property, for the message.
     * @param value the value as written.
     * @return the boolean.
     * @throws IllegalArgumentException naming {@code name=value} if it is neither.
     */
    public static boolean parseBoolean(final String name, final String value)
    {
        final String trimmed = value.trim();
        if ("true".equalsIgnoreCase(trimmed))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(trimmed))
        {
            return false;
        }
        throw new IllegalArgumentException(name + "=" + value + " is not true or false");
    }

    /**
     * Parses a duration with {@link SystemUtil#parseDuration(String, String)}.
     *
     * @param name  the property, for the message.
     * @param value the value as written, e.g. {@code 100ms}.
     * @return nanoseconds.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a duration.
     */
    public static long parseDurationNs(final String name, final String value)
    {
        try
        {
            return SystemUtil.parseDuration(name, value.trim());
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not a duration (e.g. 100ms, 2s)", ex);
        }
    }

    /**
     * Parses a size with {@link SystemUtil#parseSize(String, String)}.
     *
     * @param name  the property, for the message.
     * @param value the value as written, e.g. {@code 64k}.
     * @return the size.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a size.
     */
    public static long parseSize(final String name, final String value)
    {
        try
        {
            return SystemUtil.parseSize(name, value.trim());
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not a size (e.g. 65536, 64k, 1m)", ex);
        }
    }

    /**
     * Parses a size that must not pass a maximum.
     *
     * @param name  the property, for the message.
     * @param value the value as written, e.g. {@code 64k}.
     * @param max   the largest value accepted.
     * @return the size.
     * @throws IllegalArgumentException naming {@code name=value} if it is not a size or is above {@code max}.
     */
    public static int parseIntSize(final String name, final String value, final int max)
    {
        final long size = parseSize(name, value);
        if (size > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is too large (at most " + max + ")");
        }
        return (int)size;
    }

    /**
     * Parses an enum constant written as its name in any case, with {@code -} for {@code _}.
     *
     * @param name  the property, for the message.
     * @param value the value as written, e.g. {@code keep-majority}.
     * @param type  the enum.
     * @param <E>   the enum type.
     * @return the constant.
     * @throws IllegalArgumentException naming {@code name=value} and the accepted values.
     */
    public static <E extends Enum<E>> E parseEnum(final String name, final String value, final Class<E> type)
    {
        final String constant = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (final E candidate : type.getEnumConstants())
        {
            if (candidate.name().equals(constant))
            {
                return candidate;
            }
        }
        final StringBuilder accepted = new StringBuilder();
        for (final E candidate : type.getEnumConstants())
        {
            accepted.append(accepted.length() > 0 ? ", " : "").append(enumValueName(candidate));
        }
        throw new IllegalArgumentException(name + "=" + value + " is not one of " + accepted);
    }

    /**
     * A duration as an operator writes it, in the largest of {@code s, ms, us, ns} that states it exactly: what a
     * message shows for a duration that was parsed (or set in code) in nanoseconds.
     *
     * @param durationNs nanoseconds.
     * @return e.g. {@code 2s} for 2,000,000,000, {@code 1500ms}, {@code 7ns}.
     */
    public static String formatDuration(final long durationNs)
    {
        if (0 != durationNs && 0 == durationNs % 1_000_000_000L)
        {
            return durationNs / 1_000_000_000L + "s";
        }
        if (0 != durationNs && 0 == durationNs % 1_000_000L)
        {
            return durationNs / 1_000_000L + "ms";
        }
        if (0 != durationNs && 0 == durationNs % 1_000L)
        {
            return durationNs / 1_000L + "us";
        }
        return durationNs + "ns";
    }

    /**
     * How an enum constant is written in a property: its name in lower case with {@code -} for {@code _}.
     *
     * @param constant the constant.
     * @return e.g. {@code keep-majority} for {@code KEEP_MAJORITY}.
     */
    public static String enumValueName(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private String read(final String name)
    {
        if (!names.contains(name))
        {
            throw new IllegalStateException(name + " is not declared by " + declaringClass.getName() +
                " (no *" + PROP_NAME_SUFFIX + " constant names it)");
        }
        return System.getProperty(name);
    }
}
