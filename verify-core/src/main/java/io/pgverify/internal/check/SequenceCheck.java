package io.pgverify.internal.check;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.pgverify.Difference;
import io.pgverify.DifferenceKind;
import io.pgverify.Outcome;
import io.pgverify.SequenceReport;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.SequenceInfo;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.read.CheckContext;
import io.pgverify.internal.sql.Sql;

/**
 * Compares every selected sequence, read in batches of small statements on each side. Logical replication does not
 * carry sequences: the classic cutover failure is a target sequence that still starts at 1, so the first insert after
 * promotion fails with a duplicate key. A target sequence is wrong when the value it will hand out next is behind the
 * source's, or is not beyond the values its column already holds on the target.
 *
 * <p>A source that is a hot standby shows each sequence as its primary last WAL-logged it, and {@code nextval()} logs
 * {@value #SEQ_LOG_VALS} values ahead of those it hands out: the primary's next value may be up to that many
 * increments below the standby's. A target within that margin is not reported as behind; one below it is.
 */
public final class SequenceCheck {

    /** PostgreSQL's {@code SEQ_LOG_VALS}: how many values {@code nextval()} WAL-logs ahead of the one it returns. */
    static final int SEQ_LOG_VALS = 32;

    /**
     * Sequences compared per batch: one transaction a side, one round trip for their values, one for their columns'
     * maxima. Bounded for three reasons, measured with 10,000 sequences:
     * <ul>
     * <li>Reading a sequence, or a column's max(), locks it (and the table's indexes) until the transaction ends, and
     *     the server's shared lock table holds {@code max_locks_per_transaction × max_connections}, 6,400 by default:
     *     all of them in one transaction failed with {@code out of shared memory}.</li>
     * <li>One {@code UNION ALL} of them all failed with {@code stack depth limit exceeded} past about 7,700 arms on
     *     PostgreSQL 13 and 17, and planning one grows quadratically in time and memory well before that (on 13,
     *     1,000 {@code max()} arms took 3 s and 1 GB; 8,000 grew a backend past 23 GB). So each sequence is its own
     *     small statement, planned alone, and a batch is sent as one multi-statement string.</li>
     * <li>pgjdbc sends a batch's statements without waiting until it reckons 64,000 bytes of replies pending (250
     *     bytes a statement): 250 statements go out, and come back, in one round trip.</li>
     * </ul>
     */
    static final int SEQUENCES_PER_BATCH = 250;

    private SequenceCheck() {
    }

    /**
     * The state of one sequence on one side: {@code next} is the value {@code nextval()} would return; on a standby,
     * {@code loggedAhead} is how far above the primary's next value it may be (zero where the value is exact).
     */
    private record State(BigInteger next, boolean ascending, BigInteger loggedAhead) {

        /** The lowest next value (highest, descending) the primary may hold. */
        BigInteger lowestOnPrimary() {
            return ascending ? next.subtract(loggedAhead) : next.add(loggedAhead);
        }
    }

    private record SideValues(Map<String, State> states, Map<String, BigDecimal> columnLimits) {
    }

    public static List<SequenceReport> run(CheckContext context, Catalog sourceCatalog, Catalog targetCatalog) {
        List<SequenceInfo> sources = sourceCatalog.sequences();
        List<SequenceReport> reports = new ArrayList<>(sources.size());
        for (int from = 0; from < sources.size(); from += SEQUENCES_PER_BATCH) {
            List<SequenceInfo> batch = sources.subList(from, Math.min(sources.size(), from + SEQUENCES_PER_BATCH));
            List<SequenceInfo> targets = new ArrayList<>(batch.size());
            for (SequenceInfo sequence : batch) {
                targetCatalog.sequence(sequence.schema(), sequence.name()).ifPresent(targets::add);
            }
            CheckContext.Pair<SideValues> values;
            try {
                // One transaction a side per batch: each read takes a lock held until the transaction ends.
                values = context.onBothSides(session -> {
                    List<SequenceInfo> mine = session.side() == Side.SOURCE ? batch : targets;
                    // Only the source's values are taken as a lower bound for the target's: the margin applies to it alone.
                    boolean standby = session.side() == Side.SOURCE && inRecovery(session.connection());
                    Map<String, State> states = readStates(session.connection(), mine, standby);
                    Map<String, BigDecimal> limits = session.side() == Side.TARGET
                            ? readColumnLimits(session.connection(), ownedOnTarget(mine, targetCatalog), states) : Map.of();
                    return new SideValues(states, limits);
                });
            } catch (SideFailure e) {
                // The rest is not tried: a side that failed once (unreachable, timed out) would fail each batch again.
                for (SequenceInfo sequence : sources.subList(from, sources.size())) {
                    reports.add(new SequenceReport(sequence.schema(), sequence.name(), sequence.ownedBy(), null, null, null,
                            Outcome.INCOMPLETE, List.of(), e.describe()));
                }
                return reports;
            }
            for (SequenceInfo sequence : batch) {
                reports.add(compare(sequence, targetCatalog.sequence(sequence.schema(), sequence.name()).orElse(null),
                        values.source(), values.target()));
            }
        }
        return reports;
    }

    private static SequenceReport compare(SequenceInfo source, SequenceInfo target, SideValues sourceValues, SideValues targetValues) {
        String key = source.qualifiedKey();
        if (target == null) {
            Difference missing = Difference.of(DifferenceKind.MISSING_SEQUENCE, "sequence " + key + " does not exist on the target");
            return report(source, null, null, null, Outcome.MISMATCH, List.of(missing), "");
        }
        State sourceState = sourceValues.states().get(key);
        State targetState = targetValues.states().get(key);
        if (sourceState == null || targetState == null) {
            String side = sourceState == null ? "source" : "target";
            return report(source, sourceState, targetState, null, Outcome.INCOMPLETE, List.of(),
                    side + ": permission denied to read sequence " + key + " — grant SELECT on it to the verifying user");
        }
        BigDecimal limit = targetValues.columnLimits().get(key);
        List<Difference> differences = new ArrayList<>();
        boolean ascending = sourceState.ascending();
        String note = "";
        int order = targetState.next().compareTo(sourceState.lowestOnPrimary());
        if (ascending ? order < 0 : order > 0) {
            String onStandby = sourceState.loggedAhead().signum() == 0 ? "" : " (read on a standby, which shows the"
                    + " value its primary logged up to " + SEQ_LOG_VALS + " increments ahead: the primary's is at least "
                    + sourceState.lowestOnPrimary() + ")";
            differences.add(Difference.of(DifferenceKind.SEQUENCE_BEHIND, "next value on the target is "
                    + targetState.next() + " but " + sourceState.next() + " on the source" + onStandby));
        } else if (ascending ? targetState.next().compareTo(sourceState.next()) < 0
                : targetState.next().compareTo(sourceState.next()) > 0) {
            // Below what the standby shows, but not below what its primary may hold.
            note = "source read on a standby, which shows the value its primary logged up to " + SEQ_LOG_VALS
                    + " increments ahead of the last one handed out; the target's next value is within that margin";
        }
        if (limit != null) {
            int againstColumn = new BigDecimal(targetState.next()).compareTo(limit);
            if (ascending ? againstColumn <= 0 : againstColumn >= 0) {
                differences.add(Difference.of(DifferenceKind.SEQUENCE_BELOW_COLUMN_MAX, "next value on the target is "
                        + targetState.next() + " but " + source.ownedBy() + " already holds " + limit.toPlainString()
                        + " there: the next insert would collide"));
            }
        }
        Outcome outcome = differences.isEmpty() ? Outcome.MATCH : Outcome.MISMATCH;
        return report(source, sourceState, targetState, limit, outcome, differences, differences.isEmpty() ? note : "");
    }

    private static SequenceReport report(SequenceInfo sequence, State source, State target, BigDecimal limit,
                                         Outcome outcome, List<Difference> differences, String message) {
        return new SequenceReport(sequence.schema(), sequence.name(), sequence.ownedBy(), toLong(source), toLong(target),
                limit == null ? null : limit.longValue(), outcome, differences, message);
    }

    private static Long toLong(State state) {
        return state == null ? null : state.next().longValue();
    }

    /** Sequences whose owning column exists on the target: a missing table or column is the schema check's finding. */
    private static List<SequenceInfo> ownedOnTarget(List<SequenceInfo> sequences, Catalog targetCatalog) {
        return sequences.stream()
                .filter(s -> s.owned() && targetCatalog.table(s.ownerSchema(), s.ownerTable())
                        .flatMap(t -> t.column(s.ownerColumn())).isPresent())
                .toList();
    }

    private static boolean inRecovery(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Reads every readable sequence of a side: {@code SELECT last_value, is_called FROM s}, one small statement per
     * sequence, all sent at once.
     *
     * @param standby the side is a hot standby, whose called sequences show what the primary logged ahead
     */
    private static Map<String, State> readStates(Connection connection, List<SequenceInfo> sequences,
                                                 boolean standby) throws SQLException {
        List<SequenceInfo> readable = sequences.stream().filter(SequenceInfo::readable).toList();
        Map<String, State> states = new HashMap<>();
        List<String> statements = new ArrayList<>(readable.size());
        for (SequenceInfo sequence : readable) {
            statements.add("SELECT last_value, is_called FROM " + Sql.qualified(sequence.schema(), sequence.name()));
        }
        eachResult(connection, statements, (index, rs) -> {
            SequenceInfo sequence = readable.get(index);
            BigInteger last = BigInteger.valueOf(rs.getLong(1));
            BigInteger increment = BigInteger.valueOf(sequence.increment());
            // is_called false: nextval() hands out last_value itself (a fresh or setval(…, false) sequence).
            boolean called = rs.getBoolean(2);
            BigInteger next = called ? last.add(increment) : last;
            // Not called: the standby shows what setval() or CREATE logged, exactly. Called: nextval() may have
            // logged up to SEQ_LOG_VALS increments beyond what the primary handed out (setval() logs exactly,
            // but the standby cannot tell which wrote the value).
            BigInteger ahead = standby && called ? increment.abs().multiply(BigInteger.valueOf(SEQ_LOG_VALS)) : BigInteger.ZERO;
            states.put(sequence.qualifiedKey(), new State(next, sequence.increment() > 0, ahead));
        });
        return states;
    }

    /** max() (or min() for descending sequences) of every owning column, all sent at once. */
    private static Map<String, BigDecimal> readColumnLimits(Connection connection, List<SequenceInfo> sequences,
                                                            Map<String, State> states) throws SQLException {
        List<SequenceInfo> owned = sequences.stream().filter(s -> s.owned() && states.containsKey(s.qualifiedKey())).toList();
        Map<String, BigDecimal> limits = new HashMap<>();
        List<String> statements = new ArrayList<>(owned.size());
        for (SequenceInfo sequence : owned) {
            String aggregate = sequence.increment() > 0 ? "max" : "min";
            statements.add("SELECT " + aggregate + "(" + Sql.quote(sequence.ownerColumn()) + ")::text FROM "
                    + Sql.qualified(sequence.ownerSchema(), sequence.ownerTable()));
        }
        eachResult(connection, statements, (index, rs) -> {
            String value = rs.getString(1);
            if (value != null) {
                limits.put(owned.get(index).qualifiedKey(), new BigDecimal(value));
            }
        });
        return limits;
    }

    /** Reads the one row of the statement at {@code index}. */
    @FunctionalInterface
    private interface RowReader {
        void read(int index, ResultSet row) throws SQLException;
    }

    /**
     * Sends single-row statements as one multi-statement string (at most {@value #SEQUENCES_PER_BATCH}) and hands
     * each statement's row to the reader. Separate statements, not one {@code UNION ALL}: the server plans each on its
     * own, so time and memory stay linear.
     */
    private static void eachResult(Connection connection, List<String> statements, RowReader reader) throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        int index = 0;
        try (Statement statement = connection.createStatement()) {
            boolean isResult = statement.execute(String.join(";\n", statements));
            while (isResult || statement.getUpdateCount() != -1) {
                if (isResult) {
                    try (ResultSet rs = statement.getResultSet()) {
                        if (rs.next() && index < statements.size()) {
                            reader.read(index, rs);
                        }
                    }
                    index++;
                }
                isResult = statement.getMoreResults();
            }
        }
        if (index != statements.size()) {
            // Never guess which value belongs to which sequence.
            throw new SQLException("expected " + statements.size() + " results from a batch of sequence reads, got " + index);
        }
    }
}
