package io.pgverify.internal.check;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.pgverify.ErrorCode;
import io.pgverify.Outcome;
import io.pgverify.VerifyException;

/**
 * Which key ranges of which tables were verified, so that an interrupted verification can resume. Each table's
 * planned ranges are recorded when planned and reused by the resumed run (a new sample would cut different ranges), and
 * the verdict of each read, which covers one or more consecutive planned ranges, is appended as soon as it is known: a
 * run killed at any moment loses at most the reads in flight.
 *
 * <p>The file is text, one record a line, every field percent-encoded:
 * <pre>
 * pgverify-state 1
 * range TABLE INDEX LOWER UPPER              (LOWER, UPPER: key values joined by ',', or '-' when open)
 * done TABLE FIRST[-LAST] OUTCOME ROWS EPOCH-MILLIS   (the planned ranges FIRST to LAST, both included)
 * </pre>
 */
public final class StateFile implements AutoCloseable {

    private static final String HEADER = "pgverify-state 1";
    private static final String OPEN = "-";

    /** The last verdict of a read of the planned ranges {@code first} to {@code last}. */
    public record Verdict(int first, int last, Outcome outcome, long rows, Instant at) {
    }

    private final Path path;
    private final Map<String, TreeMap<Integer, KeyRange>> plans = new HashMap<>();
    private final Map<String, Verdict> verdicts = new HashMap<>();
    private final BufferedWriter writer;

    private StateFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /**
     * Opens the file, reading what it records, or starts it afresh when it does not exist or {@code fresh} is set.
     *
     * @throws VerifyException when the file cannot be read or written, or is not a pgverify state file
     */
    public static StateFile open(Path path, boolean fresh) {
        try {
            boolean exists = Files.exists(path) && Files.size(path) > 0;
            if (exists && !fresh) {
                List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
                if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                    throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The state file " + path
                            + " was not written by pgverify: name another file, or delete it.");
                }
                StateFile state = new StateFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
                for (int i = 1; i < lines.size(); i++) {
                    state.read(lines.get(i), i == lines.size() - 1);
                }
                return state;
            }
            BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            writer.write(HEADER);
            writer.newLine();
            writer.flush();
            return new StateFile(path, writer);
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "Could not use the state file " + path + ": "
                    + e.getMessage() + "; check the path and its permissions.", null, e);
        }
    }

    /** @param last whether this is the file's last line, the only one a kill can have cut short */
    private void read(String line, boolean last) {
        if (line.isBlank()) {
            return;
        }
        String[] fields = line.split(" ");
        try {
            if (fields[0].equals("range") && fields.length == 5) {
                int index = Integer.parseInt(fields[2]);
                plans.computeIfAbsent(decode(fields[1]), t -> new TreeMap<>())
                        .put(index, new KeyRange(index, values(fields[3]), values(fields[4])));
            } else if (fields[0].equals("done") && fields.length == 6) {
                String[] extent = fields[2].split("-", 2);
                int first = Integer.parseInt(extent[0]);
                int through = extent.length == 1 ? first : Integer.parseInt(extent[1]);
                if (through < first) {
                    throw new IllegalArgumentException(line);
                }
                verdicts.put(decode(fields[1]) + " " + first, new Verdict(first, through, Outcome.valueOf(fields[3]),
                        Long.parseLong(fields[4]), Instant.ofEpochMilli(Long.parseLong(fields[5]))));
            } else {
                throw new IllegalArgumentException(line);
            }
        } catch (RuntimeException e) {
            // A line cut short by a kill at the wrong moment: what it would have said is verified again.
            if (!last) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "The state file " + path
                        + " is damaged at the line '" + line + "': delete it or run with --fresh.");
            }
        }
    }

    /** The ranges recorded for a table, if a previous run planned it. */
    public synchronized Optional<List<KeyRange>> ranges(String table) {
        TreeMap<Integer, KeyRange> plan = plans.get(table);
        return plan == null ? Optional.empty() : Optional.of(List.copyOf(plan.values()));
    }

    /** The last verdict recorded for a read that began at the planned range {@code first}, if any. */
    public synchronized Optional<Verdict> verdict(String table, int first) {
        return Optional.ofNullable(verdicts.get(table + " " + first));
    }

    public synchronized void recordRanges(String table, List<KeyRange> ranges) {
        TreeMap<Integer, KeyRange> plan = new TreeMap<>();
        StringBuilder lines = new StringBuilder();
        for (KeyRange range : ranges) {
            plan.put(range.index(), range);
            lines.append("range ").append(encode(table)).append(' ').append(range.index()).append(' ')
                    .append(join(range.lower())).append(' ').append(join(range.upper())).append('\n');
        }
        plans.put(table, plan);
        append(lines.toString());
    }

    /** Records the verdict of a read of the planned ranges {@code first} to {@code last}. */
    public synchronized void recordVerdict(String table, int first, int last, Outcome outcome, long rows) {
        Verdict verdict = new Verdict(first, last, outcome, rows, Instant.now());
        verdicts.put(table + " " + first, verdict);
        String extent = first == last ? Integer.toString(first) : first + "-" + last;
        append("done " + encode(table) + " " + extent + " " + outcome.name() + " " + rows + " " + verdict.at().toEpochMilli() + "\n");
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
        try {
            writer.close();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.QUERY_FAILED, "Could not close the state file " + path + ": " + e.getMessage(), null, e);
        }
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
