package io.pgverify.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pgverify.Outcome;

/**
 * The HTML report in a real browser: Debian's {@code chromium}, headless. jsoup proves the markup; this proves that a
 * browser runs the report's script under its own Content-Security-Policy, that the filters hide rows, that the page
 * does not scroll sideways on a narrow screen, and that it paints the verdict in its colour.
 *
 * <p>Skipped when Chromium is not installed, except on CI ({@code CI=true}), where {@code .ci/run} installs it and
 * its absence is a failure: a browser test that silently never runs proves nothing.
 */
class HtmlReportBrowserIT {

    private static final long TIMEOUT_SECONDS = 60;

    private static Path chromium;

    /** What the page logged to the console in the last run: errors, policy violations, anything. */
    private List<String> console = List.of();

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium", "chromium-browser");
    }

    // Per test, not once in @BeforeAll: each test is then reported skipped with the reason, not silently absent.
    @BeforeEach
    void needChromium() {
        if (chromium == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("Chromium is not on PATH, and on CI (CI=true) the HTML report must be tested in a real browser: "
                        + ".ci/run installs Debian's 'chromium' package when it is missing; check that step.");
            }
            Assumptions.abort("Chromium is not on PATH: skipping the real-browser test of the HTML report "
                    + "(apt-get install chromium to run it; on CI it is required).");
        }
    }

    @Test
    void runsItsOwnScriptUnderItsOwnPolicyAndShowsTheVerdict() throws Exception {
        Path report = write("single.html", ReportFixtures.mismatched());

        Document page = dumpDom(report);

        assertThat(console).as("console messages: a script error or a policy violation would show here").isEmpty();
        assertThat(page.selectFirst("html").attr("data-filters")).as("the filter script ran").isEqualTo("ready");
        assertThat(page.getElementById("filters").hasAttr("hidden")).as("the script showed the filters").isFalse();
        assertThat(page.getElementById("verdict").text()).contains("MISMATCH").contains("Differences found");
        assertThat(page.select("table.tables > tbody > tr")).hasSize(7);
    }

    @Test
    void theFiltersHideRowsAndThePageDoesNotScrollSideways() throws Exception {
        String probe = "(function () {"
                + "var root = document.documentElement;"
                + "root.setAttribute('data-probe-width', String(window.innerWidth));"
                + "root.setAttribute('data-probe-overflow', String(root.scrollWidth - root.clientWidth));"
                + "document.querySelector('button[data-preset=problems]').click();"
                + "var rows = document.querySelectorAll('.filterable');"
                + "var shown = {};"
                + "for (var i = 0; i < rows.length; i++) {"
                + "  if (getComputedStyle(rows[i]).display !== 'none') { shown[rows[i].getAttribute('data-outcome')] = 1; }"
                + "}"
                + "root.setAttribute('data-probe-shown', Object.keys(shown).sort().join(' '));"
                + "}());";
        Path report = withProbe(write("probe.html", ReportFixtures.mismatched()), probe);

        Document page = dumpDom(report, "--window-size=390,844", "--hide-scrollbars");

        var root = page.selectFirst("html");
        assertThat(root.attr("data-filters")).isEqualTo("ready");
        assertThat(root.attr("data-hidden-outcomes")).isEqualTo("match skipped");
        assertThat(root.attr("data-probe-shown")).as("'Only problems' left only problems on screen")
                .isEqualTo("incomplete mismatch");
        // Headless Chromium lays a page out no narrower than 500 pixels, still below the phone breakpoint (40rem).
        assertThat(Integer.parseInt(root.attr("data-probe-width"))).isLessThan(600);
        assertThat(Integer.parseInt(root.attr("data-probe-overflow"))).as("horizontal overflow of the page, px")
                .isLessThanOrEqualTo(0);
    }

    @Test
    void aFleetRendersEveryPair() throws Exception {
        Path report = dir.resolve("fleet.html");
        try (Writer out = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
            FleetReportWriter.of(ReportFormat.HTML).write(HtmlFixtures.fleet(),
                    new ReportOptions("0.1.0", false, null, null), out);
        }

        Document page = dumpDom(report);

        assertThat(console).as("console messages").isEmpty();
        assertThat(page.selectFirst("html").attr("data-filters")).isEqualTo("ready");
        assertThat(page.getElementById("verdict").attr("data-outcome")).isEqualTo("mismatch");
        assertThat(page.select("table.pairs > tbody > tr").eachAttr("data-outcome"))
                .containsExactly("match", "mismatch", "incomplete", "incomplete");
        assertThat(page.select("section.pair .pair-name").eachText()).contains(HtmlFixtures.PAIR_NAME);
    }

    @Test
    void hostileNamesStayText() throws Exception {
        Path report = write("hostile.html", HtmlFixtures.hostile());

        Document page = dumpDom(report);

        assertThat(console).as("console messages").isEmpty();
        assertThat(page.select("script")).as("the browser found only the report's own script").hasSize(1);
        assertThat(page.select("img, b, i")).isEmpty();
        assertThat(page.select("table.tables td.name").first().text())
                .isEqualTo(HtmlFixtures.hostile().tables().get(0).qualifiedName());
        assertThat(page.selectFirst("html").attr("data-filters")).isEqualTo("ready");
    }

    @Test
    void paintsTheVerdictInItsColourOnAPhone() throws Exception {
        Path report = write("phone.html", ReportFixtures.mismatched());
        Path png = dir.resolve("phone.png");

        run(List.of("--screenshot=" + png, "--window-size=390,844", "--hide-scrollbars", report.toUri().toString()));

        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG Java can decode").isNotNull();
        assertThat(image.getWidth()).isEqualTo(390);
        assertThat(image.getHeight()).isEqualTo(844);
        int red = Integer.parseInt(HtmlPage.COLOURS.get(Outcome.MISMATCH).substring(1), 16);
        Set<Integer> colours = new HashSet<>();
        int verdictPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (close(rgb, red)) {
                    verdictPixels++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours: not a blank page").isGreaterThan(20);
        assertThat(verdictPixels).as("pixels of the MISMATCH colour: the verdict banner")
                .isGreaterThan(image.getWidth() * 60);
    }

    private Path write(String name, io.pgverify.VerificationReport report) throws IOException {
        Path file = dir.resolve(name);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ReportWriter.of(ReportFormat.HTML).write(report, ReportFixtures.OPTIONS, out);
        }
        return file;
    }

    /** The report with a test script added, allowed by adding its hash to the report's own policy. */
    private static Path withProbe(Path report, String probe) throws Exception {
        String hash = "sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(probe.getBytes(StandardCharsets.UTF_8)));
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("script-src '");
        html = html.replaceFirst("script-src '", "script-src '" + hash + "' '")
                .replace("</body>", "<script>" + probe + "</script>\n</body>");
        Files.writeString(report, html, StandardCharsets.UTF_8);
        return report;
    }

    private Document dumpDom(Path report, String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(extra));
        arguments.add("--dump-dom");
        arguments.add(report.toUri().toString());
        return Jsoup.parse(run(arguments));
    }

    /** Runs Chromium headless with a throwaway profile and a bound, and returns what it wrote to stdout. */
    private String run(List<String> arguments) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless",
                // Root (as in CI containers) cannot use Chromium's sandbox; the page is our own report, from a file.
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--enable-logging=stderr",
                "--user-data-dir=" + profile));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + tail(err));
        }
        assertThat(process.exitValue()).as("Chromium's exit code; stderr: %s", tail(err)).isZero();
        console = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(":CONSOLE")).toList();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }

    private static boolean close(int rgb, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((expected >> shift) & 0xFF)) > 8) {
                return false;
            }
        }
        return true;
    }

    private static Path onPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
