package io.pgverify.internal.resume;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.VerifyException;
import io.pgverify.internal.catalog.ColumnInfo;
import io.pgverify.internal.catalog.DatabaseIdentity;
import io.pgverify.internal.catalog.TableInfo;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.io.AtomicFiles;
import io.pgverify.internal.plan.KeyRange;

/**
 * Which key ranges of which tables were verified, so that an interrupted verification can resume. Each table's
 * planned ranges are recorded when planned and reused by the resumed run (a new sample would cut different ranges), and
 * the verdict of each read, which covers one or more consecutive planned ranges, is appended as soon as it is known: a
 * run killed at any moment loses at most the reads in flight.
 *
 * <p>A recorded verdict is trusted only by the verification it belongs to: the file names the source and target
 * databases ({@link DatabaseIdentity}), the options that change what a verdict means, and each table's definition on
 * both sides. A file of other databases or options is refused (or, with {@code fresh}, started anew with a warning);
 * a table whose definition changed since is verified again in full. The file holds key values: it is created
 * readable by its owner alone, and every start writes it anew beside the old one and renames it into place.
 *
 * <p>The file is text, one record a line, every field percent-encoded:
 * <pre>
 * pgverify-state 2
 * source KEY DESCRIPTION                     (KEY: system identifier/database OID, see DatabaseIdentity.key())
 * target KEY DESCRIPTION
 * options OPTIONS                            (e.g. mode=stream chunk-rows=20000)
 * table TABLE DEFINITION                     (a digest of both sides' definitions; forgets what came before for TABLE)
 * range TABLE INDEX LOWER UPPER              (LOWER, UPPER: key values joined by ',', or '-' when open)
 * done TABLE FIRST[-LAST] OUTCOME ROWS EPOCH-MILLIS   (the planned ranges FIRST to LAST, both included)
 * finished EPOCH-MILLIS                      (the run ended without interruption)
 * </pre>
 *
 * <p>A file whose run finished is not resumed: the data may have changed since, and a verdict kept from a finished
 * run would let the next one pass ranges it never read. Only an interrupted run is continued.
 */
public final class StateFile implements AutoCloseable {

    private static final String HEADER = "pgverify-state 2";
    private static final String HEADER_PREFIX = "pgverify-state ";
    private static final String OPEN = "-";

    /** The last verdict of a read of the planned ranges {@code first} to {@code last}. */
    public record Verdict(int first, int last, Outcome outcome, long rows, Instant at) {
    }

    /**
     * The verification a file belongs to.
     *
     * @param options the settings that change what a recorded verdict means, as text compared whole
     */
    public record Binding(DatabaseIdentity source, DatabaseIdentity target, String options) {

        /**
         * The compare mode (a range matched by digest is a weaker verdict than one streamed and merged) and the chunk
         * rows (they cut the planned ranges: a run asking for other ranges must not silently get the old ones). The
         * other options do not change what a verdict says: checks other than hashes record nothing, the chunk time
         * only groups planned ranges into reads, recheck and the rate limits change how a range is read, not what a
         * match of it proves.
         */
        public static Binding of(DatabaseIdentity source, DatabaseIdentity target, VerificationSettings settings) {
            return new Binding(source, target, "mode=" + settings.compareMode().name().toLowerCase(Locale.ROOT)
                    + " chunk-rows=" + settings.chunkRows());
        }
    }

    /** What the file records for one table. */
    private static final class Recorded {
        final String definition;
        final TreeMap<Integer, KeyRange> plan = new TreeMap<>();
        final TreeMap<Integer, Verdict> verdicts = new TreeMap<>();

        Recorded(String definition) {
            this.definition = definition;
        }
    }

    private final Path path;
    private final boolean fresh;
    /** The three binding lines as read, or null for a new file (or one that says nothing trustworthy of them). */
    private final String[] recordedBinding;
    /** Why nothing in the file can be trusted whatever the binding, or null. */
    private final String unusable;
    private final Map<String, Recorded> tables = new LinkedHashMap<>();
    private Binding binding;
    private Writer writer;
    /** When the recorded run finished, or null when it was interrupted (or the file is new). */
    private Instant finishedAt;

    private StateFile(Path path, boolean fresh, String[] recordedBinding, String unusable) {
        this.path = path;
        this.fresh = fresh;
        this.recordedBinding = recordedBinding;
        this.unusable = unusable;
    }

    /**
     * Reads what the file records, if it exists; nothing is trusted until {@link #bind} and nothing is written until
     * {@link #bindTables}.
     *
     * @throws VerifyException when the file cannot be read, is a symbolic link or anything but a regular file, or is
     *                         not a pgverify state file (even with {@code fresh}: it is never overwritten then)
     */
    public static StateFile open(Path path, boolean fresh) {
        try {
            List<String> lines = readIfPresent(path);
            if (lines.isEmpty()) {
                return new StateFile(path, fresh, null, null);
            }
            String header = lines.get(0);
            if (!header.startsWith(HEADER_PREFIX)) {
                throw invalid("The state file " + path + " was not written by pgverify: name another file, or delete it.");
            }
            if (!header.equals(HEADER)) {
                // Version 1 named neither the databases nor the definitions its verdicts were about.
                return new StateFile(path, fresh, null, "was written by an earlier pgverify that did not record which"
                        + " databases it verified");
            }
            if (lines.size() < 4 || !lines.get(1).startsWith("source ") || !lines.get(2).startsWith("target ")
                    || !lines.get(3).startsWith("options ")) {
                return new StateFile(path, fresh, null, "is damaged at its start");
            }
            StateFile state = new StateFile(path, fresh, new String[] {lines.get(1), lines.get(2), lines.get(3)}, null);
            if (!fresh) {
                for (int i = 4; i < lines.size(); i++) {
                    state.read(lines.get(i), i == lines.size() - 1);
                }
            }
            return state;
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "Could not use the state file " + path + ": "
                    + e.getMessage() + "; check the path and its permissions.", null, e);
        }
    }

    /** The file's lines, or none when it does not exist; a symbolic link is refused, never followed. */
    private static List<String> readIfPresent(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (attributes.isSymbolicLink()) {
            throw invalid("The state file " + path + " is a symbolic link, which pgverify does not follow: name the file itself.");
        }
        if (!attributes.isRegularFile()) {
            throw invalid("The state file " + path + " is not a regular file: name a file.");
        }
        // NOFOLLOW again: the name could have become a link since it was looked at.
        try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : text.lines().toList();
        }
    }

    /**
     * Checks that the file belongs to this verification: the same source and target databases and the same options.
     * With {@code fresh}, a file of another verification is started anew, with a warning.
     *
     * @throws VerifyException {@link ErrorCode#INVALID_CONFIGURATION} when it belongs to another and not fresh
     */
    public synchronized void bind(Binding binding, List<String> warnings) {
        this.binding = binding;
        String mismatch = unusable != null ? unusable : recordedBinding == null ? null : mismatch(binding);
        if (mismatch == null) {
            if (finishedAt != null) {
                tables.clear();
                warnings.add("The state file " + path + " records a verification that finished at " + finishedAt
                        + ": everything is verified again, since a state file resumes an interrupted run and does not"
                        + " remember a finished one.");
            }
            return;
        }
        if (fresh) {
            warnings.add("The state file " + path + " " + mismatch + "; --fresh starts it anew.");
            return;
        }
        throw invalid("The state file " + path + " " + mismatch
                + ": name another state file, or run with --fresh to start it anew.");
    }

    /** Why the recorded binding is not this one, or null when it is. */
    private String mismatch(Binding binding) {
        String[] source = recordedBinding[0].split(" ", 3);
        String[] target = recordedBinding[1].split(" ", 3);
        String[] options = recordedBinding[2].split(" ", 2);
        if (source.length < 3 || target.length < 3 || options.length < 2) {
            return "is damaged at its start";
        }
        if (!decode(source[1]).equals(binding.source().key())) {
            return "records a verification whose source was " + decode(source[2]) + ", not " + binding.source().describe();
        }
        if (!decode(target[1]).equals(binding.target().key())) {
            return "records a verification whose target was " + decode(target[2]) + ", not " + binding.target().describe();
        }
        if (!decode(options[1]).equals(binding.options())) {
            return "records a verification with " + decode(options[1]) + ", not " + binding.options();
        }
        return null;
    }

    /** @param last whether this is the file's last line, the only one a kill can have cut short */
    private void read(String line, boolean last) {
        if (line.isBlank()) {
            return;
        }
        String[] fields = line.split(" ");
        try {
            if (fields[0].equals("table") && fields.length == 3) {
                tables.put(decode(fields[1]), new Recorded(decode(fields[2])));
            } else if (fields[0].equals("range") && fields.length == 5) {
                int index = Integer.parseInt(fields[2]);
                recorded(decode(fields[1])).plan.put(index, new KeyRange(index, values(fields[3]), values(fields[4])));
            } else if (fields[0].equals("finished") && fields.length == 2) {
                finishedAt = Instant.ofEpochMilli(Long.parseLong(fields[1]));
            } else if (fields[0].equals("done") && fields.length == 6) {
                String[] extent = fields[2].split("-", 2);
                int first = Integer.parseInt(extent[0]);
                int through = extent.length == 1 ? first : Integer.parseInt(extent[1]);
                if (through < first) {
                    throw new IllegalArgumentException(line);
                }
                recorded(decode(fields[1])).verdicts.put(first, new Verdict(first, through, Outcome.valueOf(fields[3]),
                        Long.parseLong(fields[4]), Instant.ofEpochMilli(Long.parseLong(fields[5]))));
            } else {
                throw new IllegalArgumentException(line);
            }
        } catch (RuntimeException e) {
            // A line cut short by a kill at the wrong moment: what it would have said is verified again.
            if (!last) {
                throw invalid("The state file " + path + " is damaged at the line '" + line + "': delete it or run with --fresh.");
            }
        }
    }

    /** A table's records; ranges and verdicts of a table whose definition was never recorded make the file damaged. */
    private Recorded recorded(String table) {
        Recorded recorded = tables.get(table);
        if (recorded == null) {
            throw new IllegalArgumentException("no definition recorded for " + table);
        }
        return recorded;
    }

    /**
     * Forgets what was recorded for a table whose definition on either side is not the one recorded (its ranges may
     * no longer cut the key, its verdicts were about other columns), with a warning, then writes the file anew: the
     * binding, each table's definition and what is still trusted, into a new file readable by its owner alone that is
     * renamed over the old one. From then on verdicts are appended.
     *
     * @param definitions each table to verify, by name, with its {@linkplain #definition definition}
     */
    public synchronized void bindTables(Map<String, String> definitions, List<String> warnings) {
        if (binding == null) {
            throw new IllegalStateException("bind() first");
        }
        for (Map.Entry<String, String> table : definitions.entrySet()) {
            Recorded recorded = tables.get(table.getKey());
            if (recorded != null && !recorded.definition.equals(table.getValue())) {
                if (!recorded.plan.isEmpty() || !recorded.verdicts.isEmpty()) {
                    warnings.add("The definition of " + table.getKey() + " changed since the state file " + path
                            + " recorded it: it is verified again in full.");
                }
                tables.remove(table.getKey());
            }
            tables.putIfAbsent(table.getKey(), new Recorded(table.getValue()));
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("source ").append(encode(binding.source().key())).append(' ').append(encode(binding.source().describe())).append('\n');
        text.append("target ").append(encode(binding.target().key())).append(' ').append(encode(binding.target().describe())).append('\n');
        text.append("options ").append(encode(binding.options())).append('\n');
        tables.forEach((table, recorded) -> {
            text.append("table ").append(encode(table)).append(' ').append(encode(recorded.definition)).append('\n');
            text.append(rangeLines(table, recorded.plan.values()));
            recorded.verdicts.values().forEach(verdict -> text.append(doneLine(table, verdict)));
        });
        try {
            OutputStream out = AtomicFiles.replace(path, AtomicFiles.Access.OWNER_ONLY,
                    content -> content.write(text.toString().getBytes(StandardCharsets.UTF_8)));
            writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "Could not write the state file " + path + ": "
                    + e.getMessage() + "; check the directory and its permissions.", null, e);
        }
    }

    /**
     * What a recorded verdict about a table depends on, as a digest: both sides' columns (name, declared type, how
     * they are read and ordered) and keys. Indexes and constraints other than the key are not read by the hash check
     * and do not count.
     */
    public static String definition(TableInfo source, TableInfo target) {
        StringBuilder text = new StringBuilder();
        for (TableInfo side : List.of(source, target)) {
            text.append(side.partitioned()).append('\u0000').append(side.keyColumns()).append('\u0000');
            for (ColumnInfo column : side.columns()) {
                text.append(column.name()).append('\u0001').append(column.typeDisplay()).append('\u0001')
                        .append(column.baseType().schema()).append('.').append(column.baseType().name()).append('\u0001')
                        .append(column.notNull()).append(column.binaryStable()).append(column.collatable())
                        .append(column.byteOrdered()).append('\u0000');
            }
            text.append('\u0002');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The ranges recorded for a table, if a previous run planned it. */
    public synchronized Optional<List<KeyRange>> ranges(String table) {
        Recorded recorded = tables.get(table);
        return recorded == null || recorded.plan.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(recorded.plan.values()));
    }

    /** The last verdict recorded for a read that began at the planned range {@code first}, if any. */
    public synchronized Optional<Verdict> verdict(String table, int first) {
        Recorded recorded = tables.get(table);
        return recorded == null ? Optional.empty() : Optional.ofNullable(recorded.verdicts.get(first));
    }

    public synchronized void recordRanges(String table, List<KeyRange> ranges) {
        Recorded recorded = bound(table);
        recorded.plan.clear();
        for (KeyRange range : ranges) {
            recorded.plan.put(range.index(), range);
        }
        append(rangeLines(table, ranges));
    }

    /** Records the verdict of a read of the planned ranges {@code first} to {@code last}. */
    public synchronized void recordVerdict(String table, int first, int last, Outcome outcome, long rows) {
        Verdict verdict = new Verdict(first, last, outcome, rows, Instant.now());
        bound(table).verdicts.put(first, verdict);
        append(doneLine(table, verdict));
    }

    private Recorded bound(String table) {
        Recorded recorded = tables.get(table);
        if (recorded == null || writer == null) {
            throw new IllegalStateException("bindTables() did not name " + table);
        }
        return recorded;
    }

    /** Records that the run ended without interruption: the next run with this file verifies everything again. */
    public synchronized void recordFinished() {
        append("finished " + Instant.now().toEpochMilli() + "\n");
    }

    private static String rangeLines(String table, Iterable<KeyRange> ranges) {
        StringBuilder lines = new StringBuilder();
        for (KeyRange range : ranges) {
            lines.append("range ").append(encode(table)).append(' ').append(range.index()).append(' ')
                    .append(join(range.lower())).append(' ').append(join(range.upper())).append('\n');
        }
        return lines.toString();
    }

    private static String doneLine(String table, Verdict verdict) {
        String extent = verdict.first() == verdict.last() ? Integer.toString(verdict.first()) : verdict.first() + "-" + verdict.last();
        return "done " + encode(table) + " " + extent + " " + verdict.outcome().name() + " " + verdict.rows() + " "
                + verdict.at().toEpochMilli() + "\n";
    }

    private void append(String text) {
        try {
            writer.write(text);
            writer.flush();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not write the state file " + path + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not close the state file " + path + ": " + e.getMessage(), null, e);
        }
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    private static String join(List<String> values) {
        if (values == null) {
            return OPEN;
        }
        List<String> encoded = new ArrayList<>();
        for (String value : values) {
            encoded.add(encode(value));
        }
        return String.join(",", encoded);
    }

    private static List<String> values(String field) {
        if (field.equals(OPEN)) {
            return null;
        }
        return Arrays.stream(field.split(",", -1)).map(StateFile::decode).toList();
    }

    /** Percent-encoding leaves no space, comma or newline, and encodes a lone '-' so it never reads as open. */
    private static String encode(String value) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        return encoded.equals(OPEN) ? "%2D" : encoded;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
