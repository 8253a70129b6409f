package io.pgverify.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import io.pgverify.Outcome;
import io.pgverify.Shard;

/**
 * What every HTML report shares: the document around it with its inline style and script, the verdict banner, the
 * verdict filters, badges and the list of facts. The style and script live beside this class as resources and are
 * inlined, so the file is self-contained: it fetches nothing, and its Content-Security-Policy forbids fetching
 * anything and runs no script but its own, so even a name that slipped past escaping could neither load nor run code.
 */
final class HtmlPage {

    static final String STYLE = resource("html-report.css");
    static final String SCRIPT = resource("html-report.js");

    /** The screen colours of the verdicts, as the style sheet defines them ({@code --match}, ...). */
    static final Map<Outcome, String> COLOURS = Map.of(Outcome.MATCH, "#1a7f37", Outcome.MISMATCH, "#c62828",
            Outcome.INCOMPLETE, "#9a5b00", Outcome.SKIPPED, "#57606a");

    private static final String POLICY = "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '"
            + sha256(SCRIPT) + "'; base-uri 'none'; form-action 'none'";

    private static final DateTimeFormatter SHOWN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HtmlPage() {
    }

    static void begin(HtmlOutput html, String title, ReportOptions options) throws IOException {
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"").raw(POLICY).raw("\">\n")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .raw("<meta name=\"generator\" content=\"").text(tool(options)).raw("\">\n")
                .raw("<title>").text(title).raw("</title>\n")
                .raw("<style>").raw(STYLE).raw("</style>\n</head>\n<body>\n");
    }

    static void end(HtmlOutput html, ReportOptions options, Instant startedAt) throws IOException {
        html.raw("<footer>Written by ").text(tool(options)).raw(" for the run started ");
        time(html, startedAt);
        html.raw(". This file is self-contained: it loads nothing from the network.</footer>\n")
                .raw("<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
        html.flush();
    }

    /** The verdict, big and coloured, and in words with a symbol for readers who cannot tell the colours apart. */
    static void verdict(HtmlOutput html, Outcome outcome, String sentence, String facts) throws IOException {
        html.raw("<header id=\"verdict\" class=\"verdict ").raw(css(outcome)).raw("\" data-outcome=\"")
                .raw(lower(outcome)).raw("\">\n<h1><span aria-hidden=\"true\">").text(symbol(outcome))
                .raw("</span> ").raw(ReportText.verdict(outcome)).raw("</h1>\n<p class=\"sentence\">").text(sentence)
                .raw("</p>\n<p class=\"facts\">").text(facts).raw("</p>\n</header>\n");
    }

    /**
     * Checkboxes that hide what has a given verdict. Hidden until the script shows them: without scripts, and in
     * print, everything is shown and there is nothing to click.
     */
    static void filters(HtmlOutput html, Map<Outcome, Integer> counts, String what) throws IOException {
        html.raw("<nav id=\"filters\" class=\"filters\" hidden aria-label=\"Filter by verdict\">")
                .raw("<span class=\"title\">Show ").text(what).raw(":</span>\n");
        for (Outcome outcome : Outcome.values()) {
            Integer count = counts.get(outcome);
            if (count == null || count == 0) {
                continue;
            }
            html.raw("<label><input type=\"checkbox\" checked data-outcome-filter=\"").raw(lower(outcome)).raw("\"> ");
            badge(html, outcome);
            html.raw(" ").count(count).raw("</label>\n");
        }
        html.raw("<button type=\"button\" data-preset=\"problems\">Only problems</button>\n")
                .raw("<button type=\"button\" data-preset=\"all\">Show all</button>\n</nav>\n");
    }

    static void badge(HtmlOutput html, Outcome outcome) throws IOException {
        html.raw("<span class=\"badge ").raw(css(outcome)).raw("\"><span aria-hidden=\"true\">").text(symbol(outcome))
                .raw("</span> ").raw(ReportText.verdict(outcome)).raw("</span>");
    }

    static void fact(HtmlOutput html, String term, String value) throws IOException {
        html.raw("<dt>").text(term).raw("</dt><dd>").text(value).raw("</dd>\n");
    }

    static void time(HtmlOutput html, Instant instant) throws IOException {
        html.raw("<time datetime=\"").text(instant.truncatedTo(ChronoUnit.MILLIS).toString()).raw("\">")
                .text(SHOWN_TIME.format(instant)).raw("</time>");
    }

    /** The shard this report covers, when it is one of a plan. */
    static void shard(HtmlOutput html, Shard shard, String planDigest) throws IOException {
        if (shard == null && planDigest == null) {
            return;
        }
        html.raw("<dt>Shard</dt><dd>");
        if (shard != null) {
            html.text(shard.toString()).raw(" (share ").count(shard.index() + 1L).raw(" of ").count(shard.count())
                    .raw(")");
        }
        if (planDigest != null) {
            html.raw(shard == null ? "" : ", ").raw("plan <code>").text(planDigest).raw("</code>");
        }
        html.raw("</dd>\n");
    }

    static String tool(ReportOptions options) {
        return options.toolVersion() == null || options.toolVersion().isBlank()
                ? "pgverify" : "pgverify " + options.toolVersion();
    }

    /** {@code o-mismatch}: the class that sets an element's verdict colour. */
    static String css(Outcome outcome) {
        return "o-" + lower(outcome);
    }

    static String lower(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    static String symbol(Outcome outcome) {
        return switch (outcome) {
            case MATCH -> "\u2713";
            case MISMATCH -> "\u2717";
            case INCOMPLETE -> "!";
            case SKIPPED -> "\u2013";
        };
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + HtmlPage.class.getName()
                        + ": the verify-report jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + name + " from the verify-report jar", e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
