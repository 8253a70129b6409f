package io.pgverify.report;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.DifferenceKind;
import io.pgverify.FleetReport;
import io.pgverify.Outcome;
import io.pgverify.PairReport;
import io.pgverify.TableReport;
import io.pgverify.VerificationReport;

/** Reports built by hand for the HTML writers: a fleet of every pair verdict, and names that try to break out. */
final class HtmlFixtures {

    /** Names that would run script, add elements or end attributes and code blocks if written unescaped. */
    static final String SCRIPT_NAME = "<script>alert('pwned')</script>";
    static final String IMG_NAME = "\"><img src=x onerror=alert(1)>";
    static final String KEY_VALUE = "</code><b>bold</b> & 'quoted' \"double\"\nsecond line &amp; ]]>";
    static final String COLUMN = "col\" onmouseover=\"alert(2)";
    /** A bidirectional override, a NUL, an unpaired surrogate and a noncharacter: none may reach the page as it is. */
    static final String INVISIBLE = "abc\u202Edef\u0000ghi\uD800jkl\uFFFF";
    static final String PAIR_NAME = "shop <eu> & \"co\"";

    private HtmlFixtures() {
    }

    static VerificationReport hostile() {
        TableReport script = new TableReport("public", SCRIPT_NAME, List.of(COLUMN), 2L, 2L, List.of(
                new CheckResult(CheckKind.HASHES, Outcome.MISMATCH, List.of(
                        ReportFixtures.row(DifferenceKind.DIFFERENT, List.of(COLUMN, "<b>"), "detail <i>x</i>",
                                COLUMN, KEY_VALUE)),
                        1, 2, "message with <a href=\"https://evil.example\">a link</a>", Duration.ofMillis(3))));
        TableReport img = new TableReport(IMG_NAME, INVISIBLE, List.of(), 1L, null, List.of(
                CheckResult.incomplete(CheckKind.COUNTS, "permission denied <for> \"you\" & 'them'",
                        Duration.ofMillis(1))));
        return new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET, Set.of(CheckKind.HASHES,
                CheckKind.COUNTS), List.of(script, img), List.of(), List.of("<style>@import url(https://evil)</style>"),
                List.of("warning <script src=\"https://evil.example/x.js\"></script>"), ReportFixtures.STARTED,
                Duration.ofMillis(9));
    }

    /**
     * Four pairs: one matching, one mismatched (the full mismatched fixture), one unreachable, one whose name is
     * hostile and whose one table is incomplete. Mismatched overall.
     */
    static FleetReport fleet() {
        VerificationReport incomplete = new VerificationReport(ReportFixtures.SOURCE, ReportFixtures.TARGET,
                Set.of(CheckKind.HASHES), List.of(new TableReport("public", "events", List.of("id"), 5L, 5L, List.of(
                CheckResult.incomplete(CheckKind.HASHES, "statement timeout", Duration.ofSeconds(30))))), List.of(),
                List.of(), List.of(), ReportFixtures.STARTED, Duration.ofSeconds(31));
        return new FleetReport(List.of(
                PairReport.of("billing", ReportFixtures.matching()),
                PairReport.of("shop-eu", ReportFixtures.mismatched()),
                PairReport.failed("crm", "Could not connect to crm-db.example.com:5432: connection refused",
                        Duration.ofSeconds(10)),
                PairReport.of(PAIR_NAME, incomplete)),
                null, ReportFixtures.STARTED, Duration.ofMinutes(4));
    }

    static FleetReport matchingFleet() {
        return new FleetReport(List.of(PairReport.of("billing", ReportFixtures.matching()),
                PairReport.of("shop", ReportFixtures.matching())), null, ReportFixtures.STARTED, Duration.ofSeconds(3));
    }
}
