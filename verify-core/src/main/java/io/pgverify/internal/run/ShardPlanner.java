package io.pgverify.internal.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pgverify.CheckKind;
import io.pgverify.CheckResult;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;
import io.pgverify.internal.catalog.Catalog;
import io.pgverify.internal.catalog.DatabaseIdentity;
import io.pgverify.internal.catalog.TableInfo;
import io.pgverify.internal.check.CountCheck;
import io.pgverify.internal.config.VerificationSettings;
import io.pgverify.internal.jdbc.SessionSettings;
import io.pgverify.internal.jdbc.Side;
import io.pgverify.internal.jdbc.SideFailure;
import io.pgverify.internal.plan.KeyRange;
import io.pgverify.internal.plan.TablePlan;
import io.pgverify.internal.read.Attempts;
import io.pgverify.internal.read.CheckContext;
import io.pgverify.internal.read.KeyRangePlanner;
import io.pgverify.internal.resume.StateFile;
import io.pgverify.internal.shard.PlanFile;
import io.pgverify.internal.shard.ShardWork;

/**
 * Plans a verification once for several processes ({@code pgverify plan}): reads both catalogs, cuts each keyed
 * table's key ranges from a sample of the source as a verification would ({@link KeyRangePlanner}), and assigns them to
 * shards ({@link PlanFile#assign}). Nothing is compared.
 */
public final class ShardPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ShardPlanner.class);

    private ShardPlanner() {
    }

    public static PlanFile plan(VerificationSettings settings, DataSource source, DataSource target, int shards) {
        SessionSettings sessionSettings = SessionSettings.of(settings.applicationName(), settings.statementTimeout(),
                settings.lockTimeout());
        try (WorkerPool sides = WorkerPool.create("side", 2)) {
            CheckContext context = new CheckContext(source, target, sessionSettings, settings, sides.executor());
            DatabaseIdentity sourceIdentity = VerificationRun.identify(context, Side.SOURCE);
            DatabaseIdentity targetIdentity = VerificationRun.identify(context, Side.TARGET);
            CompletableFuture<Catalog> sourceRead = CompletableFuture.supplyAsync(
                    () -> VerificationRun.readCatalog(context, settings, Side.SOURCE), sides.executor());
            Catalog targetCatalog = VerificationRun.readCatalog(context, settings, Side.TARGET);
            Catalog sourceCatalog;
            try {
                sourceCatalog = sourceRead.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
            List<PlanFile.Unassigned> planned = new ArrayList<>();
            for (TableInfo table : sourceCatalog.tables()) {
                TableInfo other = targetCatalog.table(table.schema(), table.name()).orElse(null);
                if (other == null) {
                    planned.add(new PlanFile.Unassigned(table.qualifiedKey(), PlanFile.MISSING_ON_TARGET, 0,
                            List.of(KeyRange.all())));
                    continue;
                }
                TablePlan plan = TablePlan.of(table, other);
                List<KeyRange> ranges;
                try {
                    ranges = Attempts.withRetries(context, plan.displayName() + " key ranges",
                            () -> KeyRangePlanner.plan(context, plan));
                } catch (SideFailure e) {
                    throw new VerifyException(ErrorCode.QUERY_FAILED, "The key ranges of " + plan.displayName()
                            + " could not be planned: " + e.describe() + ".");
                }
                planned.add(new PlanFile.Unassigned(table.qualifiedKey(), StateFile.definition(table, other),
                        table.estimatedRows(), ranges));
            }
            PlanFile plan = PlanFile.assign(shards, identity(sourceIdentity), identity(targetIdentity),
                    settings.chunkRows(), planned);
            LOG.info("Planned {} tables in {} key ranges over {} shards", plan.tables().size(),
                    plan.tables().stream().mapToInt(t -> t.ranges().size()).sum(), shards);
            return plan;
        }
    }

    private static PlanFile.Identity identity(DatabaseIdentity identity) {
        return new PlanFile.Identity(identity.key(), identity.describe());
    }

    /** Each selected source table by name, with its definition on both sides, or that the target lacks it. */
    static Map<String, String> definitions(Catalog sourceCatalog, Catalog targetCatalog) {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (TableInfo table : sourceCatalog.tables()) {
            definitions.put(table.qualifiedKey(), targetCatalog.table(table.schema(), table.name())
                    .map(target -> StateFile.definition(table, target)).orElse(PlanFile.MISSING_ON_TARGET));
        }
        return definitions;
    }

    /**
     * The row counts of the shard's ranges of a split table, one count per run of neighbouring ranges; merged with the
     * other shards' counts by summing, they are the table's. Counts of ranges can differ while the table's totals agree
     * (a row missing in one range, another extra in the next), so a shard's count difference is a note the merge
     * recomputes, not the verdict.
     */
    static CountCheck.Counted countRanges(CheckContext context, TablePlan plan, ShardWork work) {
        List<KeyRange> runs = work.runs(plan.displayName());
        StringBuilder where = new StringBuilder();
        for (KeyRange run : runs) {
            String predicate = run.predicate(plan);
            if (predicate.isEmpty()) {
                where.setLength(0);
                break; // the shard holds every range
            }
            where.append(where.length() == 0 ? " WHERE (" : " OR (").append(predicate.substring(" WHERE ".length())).append(')');
        }
        CountCheck.Counted counted = CountCheck.run(context, plan, where.toString());
        CheckResult result = counted.result();
        String note = "rows of this shard's " + work.indexes(plan.displayName()).size() + " key ranges only";
        return new CountCheck.Counted(new CheckResult(CheckKind.COUNTS, result.outcome(), result.differences(),
                result.differenceCount(), result.rowsCompared(), result.message().isEmpty() ? note : result.message() + "; " + note,
                result.duration(), result.resolvedByRecheck()), counted.sourceRows(), counted.targetRows());
    }
}
