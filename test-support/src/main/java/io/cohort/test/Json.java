package io.cohort.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for tests that check what a program prints for scripts: objects become
 * {@code Map<String, Object>} in document order, arrays {@code List<Object>}, strings {@code String}, integers
 * {@code Long}, other numbers {@code Double}, {@code true}/{@code false} {@code Boolean}, {@code null} null. Anything
 * that is not exactly one JSON value (trailing text, a raw control character in a string, a bad escape, a
 * trailing comma) is an {@link IllegalArgumentException} naming the offset.
 */
public final class Json
{
    private final String text;
    private int position;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * Parses one JSON value, surrounded by optional white space.
     *
     * @param text the document.
     * @return the value.
     * @throws IllegalArgumentException if the text is not exactly one JSON value.
     */
    public static Object parse(final String text)
    {
        final Json parser = new Json(text);
        parser.skipSpace();
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.position != text.length())
        {
            throw parser.error("trailing text");
        }
        return value;
    }

    /**
     * Parses a document that must be a JSON object.
     *
     * @param text the document.
     * @return its members.
     * @throws IllegalArgumentException if the text is not exactly one JSON object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        if (position >= text.length())
        {
            throw error("a value expected");
        }
        final char c = text.charAt(position);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return number();
                }
                throw error("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (peek() == '}')
        {
            position++;
            return members;
        }
        while (true)
        {
            skipSpace();
            if (peek() != '"')
            {
                throw error("a member name expected");
            }
            final String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (members.containsKey(name))
            {
                throw error("duplicate member " + name);
            }
            members.put(name, value());
            skipSpace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect('}');
            return members;
        }
    }

    private List<Object> array()
    {
        final List<Object> elements = new ArrayList<>();
        position++;
        skipSpace();
        if (peek() == ']')
        {
            position++;
            return elements;
        }
        while (true)
        {
            skipSpace();
            elements.add(value());
            skipSpace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect(']');
            return elements;
        }
    }

    private String string()
    {
        position++;
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (position >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                throw error("raw control character in a string");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            final char escaped = position < text.length() ? text.charAt(position++) : 0;
            switch (escaped)
            {
                case '"':
                case '\\':
                case '/':
                    out.append(escaped);
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    if (position + 4 > text.length())
                    {
                        throw error("short \\u escape");
                    }
                    try
                    {
                        out.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("bad \\u escape");
                    }
                    position += 4;
                    break;
                default:
                    throw error("bad escape \\" + escaped);
            }
        }
    }

    private Object number()
    {
        final int start = position;
        if (peek() == '-')
        {
            position++;
        }
        if (peek() == '0')
        {
            position++;
        }
        else if (!digits())
        {
            throw error("a digit expected");
        }
        boolean integer = true;
        if (peek() == '.')
        {
            position++;
            integer = false;
            if (!digits())
            {
                throw error("a digit expected after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E')
        {
            position++;
            integer = false;
            if (peek() == '+' || peek() == '-')
            {
                position++;
            }
            if (!digits())
            {
                throw error("a digit expected in the exponent");
            }
        }
        final String number = text.substring(start, position);
        return integer ? (Object)Long.parseLong(number) : (Object)Double.parseDouble(number);
    }

    private boolean digits()
    {
        final int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9')
        {
            position++;
        }
        return position > start;
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw error("unexpected text");
        }
        position += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("'" + c + "' expected");
        }
        position++;
    }

    private char peek()
    {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private void skipSpace()
    {
        while (position < text.length())
        {
            final char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException("invalid JSON at offset " + position + ": " + what + " in: " + text);
    }
}
