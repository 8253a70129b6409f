package io.pgverify.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Measuring, cutting and wrapping text for a fixed-width terminal. Widths are in terminal columns, not chars: a CJK
 * ideograph takes two, a combining accent none, so a report with such names still lines up.
 */
final class TerminalText {

    static final String ELLIPSIS = "…";

    private TerminalText() {
    }

    /**
     * The text with everything a terminal would act on instead of print replaced by {@code ?}: control characters
     * (a newline in a quoted identifier would break the layout, an ESC could recolour or rewrite the screen) and
     * the bidirectional overrides that can make a name read as another, and unpaired surrogates, which no encoder
     * can write.
     */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int length = Character.charCount(c);
            boolean unsafe = Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                    || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
            if (unsafe && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append('?');
                } else {
                    out.appendCodePoint(c);
                }
            }
            i += length;
        }
        return out == null ? text : out.toString();
    }

    /** Terminal columns the text takes. */
    static int width(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            width += width(codePoint);
            i += Character.charCount(codePoint);
        }
        return width;
    }

    static int width(int codePoint) {
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        return isWide(codePoint) ? 2 : 1;
    }

    // East Asian Wide and Fullwidth blocks, and the emoji blocks terminals draw double: close enough for names.
    private static boolean isWide(int c) {
        return (c >= 0x1100 && c <= 0x115F)
                || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F)
                || (c >= 0xAC00 && c <= 0xD7A3)
                || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0xFE30 && c <= 0xFE4F)
                || (c >= 0xFF00 && c <= 0xFF60)
                || (c >= 0xFFE0 && c <= 0xFFE6)
                || (c >= 0x1F300 && c <= 0x1F64F)
                || (c >= 0x1F900 && c <= 0x1F9FF)
                || (c >= 0x20000 && c <= 0x3FFFD);
    }

    /**
     * The text cut to at most {@code max} columns by replacing its middle with an ellipsis: both the schema at the
     * start and the distinguishing end of a long table name stay visible.
     */
    static String truncateMiddle(String text, int max) {
        if (width(text) <= max) {
            return text;
        }
        if (max <= 1) {
            return max == 1 ? ELLIPSIS : "";
        }
        int[] codePoints = text.codePoints().toArray();
        int budget = max - 1;
        int headBudget = (budget + 1) / 2;
        int tailBudget = budget - headBudget;
        StringBuilder head = new StringBuilder();
        int used = 0;
        int h = 0;
        while (h < codePoints.length && used + width(codePoints[h]) <= headBudget) {
            used += width(codePoints[h]);
            head.appendCodePoint(codePoints[h++]);
        }
        // Give the tail what the head could not use (a wide character that did not fit).
        tailBudget += headBudget - used;
        int t = codePoints.length;
        used = 0;
        while (t > h && used + width(codePoints[t - 1]) <= tailBudget) {
            used += width(codePoints[--t]);
        }
        StringBuilder tail = new StringBuilder();
        for (int i = t; i < codePoints.length; i++) {
            tail.appendCodePoint(codePoints[i]);
        }
        return head + ELLIPSIS + tail;
    }

    /** The text padded with spaces on the right to {@code columns}. */
    static String padRight(String text, int columns) {
        int missing = columns - width(text);
        return missing <= 0 ? text : text + " ".repeat(missing);
    }

    /** The text padded with spaces on the left to {@code columns}. */
    static String padLeft(String text, int columns) {
        int missing = columns - width(text);
        return missing <= 0 ? text : " ".repeat(missing) + text;
    }

    /**
     * The text broken into lines of at most {@code columns}, at spaces where possible; a word longer than a line
     * (a long key) is broken wherever it must, so nothing is lost.
     */
    static List<String> wrap(String text, int columns) {
        int limit = Math.max(1, columns);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int lineWidth = 0;
        for (String word : text.split(" ", -1)) {
            if (word.isEmpty()) {
                continue;
            }
            int wordWidth = width(word);
            if (lineWidth > 0 && lineWidth + 1 + wordWidth <= limit) {
                line.append(' ').append(word);
                lineWidth += 1 + wordWidth;
                continue;
            }
            if (lineWidth > 0) {
                lines.add(line.toString());
                line.setLength(0);
                lineWidth = 0;
            }
            for (int i = 0; i < word.length(); ) {
                int codePoint = word.codePointAt(i);
                int w = width(codePoint);
                if (lineWidth > 0 && lineWidth + w > limit) {
                    lines.add(line.toString());
                    line.setLength(0);
                    lineWidth = 0;
                }
                line.appendCodePoint(codePoint);
                lineWidth += w;
                i += Character.charCount(codePoint);
            }
        }
        if (lineWidth > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
