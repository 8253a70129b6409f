package io.pgverify.report;

/**
 * How to write a report.
 *
 * @param toolVersion  pgverify's version, written into machine-readable reports
 * @param color        whether ANSI colours may be used (text only: a TTY and no NO_COLOR)
 * @param sourceLabel  the source as shown to people, password masked
 * @param targetLabel  the target as shown to people, password masked
 */
public record ReportOptions(String toolVersion, boolean color, String sourceLabel, String targetLabel) {
}
