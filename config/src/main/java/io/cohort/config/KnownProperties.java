package io.cohort.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every property a launch accepts under one prefix (e.g. {@code cohort.}), so that a name no Configuration
 * declares, a typo most of all, fails the launch instead of being ignored. A rejected name is reported with the
 * value as written and the closest known name by edit distance ("did you mean cohort.cluster.seeds?").
 * <p>
 * The known names are those of some {@link PropertySet}s plus an allow-list of names and name prefixes read by
 * tools and tests rather than by a Configuration (they stay accepted, never suggested).
 */
public final class KnownProperties
{
    private final String prefix;
    private final Set<String> names;
    private final List<String> allowedNames;
    private final List<String> allowedPrefixes;

    /**
     * The properties a launch accepts.
     *
     * @param prefix          names starting with it are checked; others are not this launch's business.
     * @param sets            the declared properties.
     * @param allowedNames    further exact names accepted (read by tools or tests), never suggested.
     * @param allowedPrefixes further name prefixes accepted (e.g. {@code cohort.test.}), never suggested.
     */
    public KnownProperties(
        final String prefix,
        final Collection<PropertySet> sets,
        final Collection<String> allowedNames,
        final Collection<String> allowedPrefixes)
    {
        this.prefix = prefix;
        final Set<String> all = new TreeSet<>();
        for (final PropertySet set : sets)
        {
            all.addAll(set.names());
        }
        this.names = Collections.unmodifiableSet(all);
        this.allowedNames = List.copyOf(allowedNames);
        this.allowedPrefixes = List.copyOf(allowedPrefixes);
    }

    /**
     * The declared names (the allow-list excluded), sorted.
     *
     * @return an unmodifiable set.
     */
    public Set<String> names()
    {
        return names;
    }

    /**
     * Whether a name is accepted: declared, allow-listed, or outside the prefix.
     *
     * @param name a property name.
     * @return true if a launch accepts it.
     */
    public boolean accepts(final String name)
    {
        if (!name.startsWith(prefix) || names.contains(name) || allowedNames.contains(name))
        {
            return true;
        }
        for (final String allowed : allowedPrefixes)
        {
            if (name.startsWith(allowed))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Fails if any name under the prefix is not accepted, naming every such {@code name=value} with the closest
     * declared name.
     *
     * @param properties the properties to check, e.g. {@link System#getProperties()}.
     * @param source     where they come from, for the message (e.g. {@code system property}).
     * @throws IllegalArgumentException naming each unknown {@code name=value} and its suggestion.
     */
    public void rejectUnknown(final Map<?, ?> properties, final String source)
    {
        final Set<String> unknown = new TreeSet<>();
        for (final Object key : new ArrayList<>(properties.keySet()))
        {
            if (key instanceof String && !accepts((String)key))
            {
                unknown.add((String)key);
            }
        }
        if (unknown.isEmpty())
        {
            return;
        }
        final StringBuilder message = new StringBuilder();
        for (final String name : unknown)
        {
            message.append(message.length() > 0 ? "; " : "")
                .append("unknown setting ").append(name).append('=').append(properties.get(name))
                .append(" (").append(source).append(")");
            final String suggestion = closest(name);
            if (null != suggestion)
            {
                message.append(": did you mean ").append(suggestion).append('?');
            }
        }
        throw new IllegalArgumentException(message.toString());
    }

    /**
     * The declared name closest to a name: one that holds every dot-separated segment of it in order with whole
     * segments left out (the shortest such), else the closest by edit distance (insertions, deletions and
     * substitutions of one character); the first in sorted order on a tie.
     *
     * @param name a property name.
     * @return the closest declared name, or null if none is declared.
     */
    public String closest(final String name)
    {
        // A name missing a whole segment (cohort.split.strategy) means the declared name that has it
        // (cohort.cluster.split.strategy), not another of a similar length (cohort.idle.strategy).
        final String[] segments = name.split("\\.");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : names)
        {
            if (candidate.length() > name.length() && holdsInOrder(candidate.split("\\."), segments) &&
                (null == best || candidate.length() < best.length()))
            {
                best = candidate;
            }
        }
        if (null != best)
        {
            return best;
        }
        for (final String candidate : names)
        {
            final int distance = editDistance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static boolean holdsInOrder(final String[] candidate, final String[] segments)
    {
        int next = 0;
        for (int i = 0; i < candidate.length && next < segments.length; i++)
        {
            if (candidate[i].equals(segments[next]))
            {
                next++;
            }
        }
        return next == segments.length;
    }

    /**
     * The Levenshtein distance between two strings.
     *
     * @param a one string.
     * @param b another.
     * @return the fewest single-character insertions, deletions and substitutions turning {@code a} into {@code b}.
     */
    public static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
