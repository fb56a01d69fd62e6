package io.cohort.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a harness run, as {@code name=value} arguments (sizes accept {@code k} and {@code m}, e.g.
 * {@code connections=1m}). Every name has a default; an unknown name or a bad value is an
 * {@link IllegalArgumentException} naming {@code name=value}. The same class carries a node's parameters to the
 * child processes, which is why it can print itself back as arguments.
 */
public final class BenchParams
{
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();

    /**
     * Parameters with the defaults given, overridden by the arguments.
     *
     * @param defaults pairs of name, default value, description.
     * @param args     {@code name=value} arguments.
     * @return the parameters.
     * @throws IllegalArgumentException for an unknown name or an argument that is not {@code name=value}.
     */
    public static BenchParams parse(final String[][] defaults, final String[] args)
    {
        final BenchParams params = new BenchParams();
        for (final String[] entry : defaults)
        {
            params.values.put(entry[0], entry[1]);
            params.help.put(entry[0], entry[2]);
        }
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("argument '" + arg + "' is not name=value (try: help)");
            }
            final String name = arg.substring(0, equals).trim();
            if (!params.values.containsKey(name))
            {
                throw new IllegalArgumentException("unknown parameter " + arg + " (known: " +
                    String.join(", ", params.values.keySet()) + ")");
            }
            params.values.put(name, arg.substring(equals + 1).trim());
        }
        return params;
    }

    /**
     * One line per parameter with its default and meaning.
     *
     * @return the help text.
     */
    public String usage()
    {
        final StringBuilder out = new StringBuilder();
        help.forEach((name, text) -> out.append(String.format("  %-18s %-10s %s%n", name, values.get(name), text)));
        return out.toString();
    }

    /**
     * Whether this set of parameters has a name.
     *
     * @param name the parameter.
     * @return true if it is one of the parameters.
     */
    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    /**
     * A parameter as text.
     *
     * @param name the parameter.
     * @return its value.
     */
    public String text(final String name)
    {
        final String value = values.get(name);
        if (null == value)
        {
            throw new IllegalStateException("no parameter " + name);
        }
        return value;
    }

    /**
     * A whole number, with optional {@code k} (10^3) or {@code m} (10^6) suffix, within bounds.
     *
     * @param name the parameter.
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @return the value.
     */
    public long number(final String name, final long min, final long max)
    {
        final String text = text(name).toLowerCase();
        long multiplier = 1;
        String digits = text;
        if (text.endsWith("k"))
        {
            multiplier = 1_000;
            digits = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            multiplier = 1_000_000;
            digits = text.substring(0, text.length() - 1);
        }
        final long value;
        try
        {
            value = Math.multiplyExact(Long.parseLong(digits), multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException(name + "=" + text(name) + " is not a whole number (e.g. 100k)");
        }
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + text(name) + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * A whole number that fits an int.
     *
     * @param name the parameter.
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @return the value.
     */
    public int integer(final String name, final int min, final int max)
    {
        return (int)number(name, min, max);
    }

    /**
     * A decimal number within bounds.
     *
     * @param name the parameter.
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @return the value.
     */
    public double decimal(final String name, final double min, final double max)
    {
        final double value;
        try
        {
            value = Double.parseDouble(text(name));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + text(name) + " is not a number");
        }
        if (!(value >= min && value <= max))
        {
            throw new IllegalArgumentException(name + "=" + text(name) + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * A true/false parameter.
     *
     * @param name the parameter.
     * @return the value.
     */
    public boolean bool(final String name)
    {
        final String value = text(name);
        if ("true".equalsIgnoreCase(value) || "on".equalsIgnoreCase(value))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(value) || "off".equalsIgnoreCase(value))
        {
            return false;
        }
        throw new IllegalArgumentException(name + "=" + value + " is not true or false");
    }

    /**
     * Every parameter as {@code name=value}, in declaration order.
     *
     * @return a printable line.
     */
    public String toString()
    {
        final StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> out.append(out.length() > 0 ? " " : "").append(name).append('=').append(value));
        return out.toString();
    }
}
