package io.pgverify.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/**
 * HTML written straight to a {@link Writer}, so that a report of thousands of tables or pairs is never held in memory
 * whole. Markup the writers compose goes through {@link #raw}; everything that comes from a report (names, keys,
 * messages, labels) goes through {@link #text}, which escapes it for text and for double-quoted attribute values
 * alike.
 *
 * <p>The output is ASCII only: every other character is written as a numeric character reference, so the file reads
 * the same whatever encoding the caller's writer uses (stdout on a machine whose default is not UTF-8 included).
 */
final class HtmlOutput {

    private final Writer out;

    HtmlOutput(Writer out) {
        this.out = out;
    }

    /** Markup written as it is: only ever constants and numbers composed here, never a report's text. */
    HtmlOutput raw(String markup) throws IOException {
        out.write(markup);
        return this;
    }

    /** A report's text, escaped. */
    HtmlOutput text(String text) throws IOException {
        escape(text, out);
        return this;
    }

    /** {@code 1,204}. */
    HtmlOutput count(long n) throws IOException {
        out.write(ReportText.count(n));
        return this;
    }

    void flush() throws IOException {
        out.flush();
    }

    /** {@link #text} as a string, for tests and for the few places that compose one. */
    static String escape(String text) {
        StringWriter out = new StringWriter(text == null ? 0 : text.length() + 16);
        try {
            escape(text, out);
        } catch (IOException e) {
            throw new UncheckedIOException("A StringWriter does not fail", e);
        }
        return out.toString();
    }

    /**
     * Writes runs of plain ASCII as they are and escapes the rest: the five characters that end or break out of text
     * and quoted attributes, non-ASCII as numeric references, and as U+FFFD what no HTML page should carry: control
     * characters but tab and line breaks, unpaired surrogates (no encoder can write them), noncharacters, and the
     * bidirectional overrides that can make one name read as another.
     */
    private static void escape(String text, Writer out) throws IOException {
        if (text == null) {
            return;
        }
        int length = text.length();
        int run = 0;
        for (int i = 0; i < length; ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') {
                i++;
                continue;
            }
            if (run < i) {
                out.write(text, run, i - run);
            }
            int codePoint = c;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                width = 2;
            }
            switch (codePoint) {
                case '&' -> out.write("&amp;");
                case '<' -> out.write("&lt;");
                case '>' -> out.write("&gt;");
                case '"' -> out.write("&quot;");
                case '\'' -> out.write("&#39;");
                case '\t', '\n', '\r' -> out.write(codePoint);
                default -> reference(unsafe(codePoint) ? 0xFFFD : codePoint, out);
            }
            i += width;
            run = i;
        }
        if (run < length) {
            out.write(text, run, length - run);
        }
    }

    private static boolean unsafe(int c) {
        return Character.isISOControl(c)
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
    }

    private static void reference(int codePoint, Writer out) throws IOException {
        out.write("&#x");
        out.write(Integer.toHexString(codePoint).toUpperCase(Locale.ROOT));
        out.write(';');
    }
}
