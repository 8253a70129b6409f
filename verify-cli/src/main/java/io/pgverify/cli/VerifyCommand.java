package io.pgverify.cli;

import java.util.concurrent.Callable;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgverify verify}: the gate. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        header = "Verify that a target database holds the same data as its source (the gate).",
        description = {
            "Proves that the target database holds the same data as the source: schema, sequences, row counts, the "
                    + "last rows and a hash of every row, table by table.",
            "",
            "URL is a libpq URI (postgresql://user:password@host:5432/db?sslmode=verify-full) or a JDBC URL "
                    + "(jdbc:postgresql://host:5432/db?user=app). Percent-encode special characters in the password.",
            "The report goes to stdout (or --report FILE); progress and logs go to stderr."},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  PGVERIFY_SOURCE           the source URL when --source is not given",
            "  PGVERIFY_TARGET           the target URL when --target is not given",
            "  PGVERIFY_SOURCE_PASSWORD  the source's password when its URL has none",
            "  PGVERIFY_TARGET_PASSWORD  the target's password when its URL has none",
            "  PGPASSWORD                either side's password when none of the above has it",
            "  PGPASSFILE                the password file read last (default ~/.pgpass)",
            "  NO_COLOR                  no colour when set",
            "  PGVERIFY_JAVA_OPTS        JVM options for bin/pgverify, e.g. -Xmx2g",
            "",
            "Examples:",
            "  pgverify verify --source postgresql://app@old-db/shop \\",
            "                  --target postgresql://app@new-db/shop",
            "  export PGVERIFY_SOURCE=... PGVERIFY_TARGET=...",
            "  pgverify verify --exclude 'audit.*' --format json --report gate.json"})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "URL", order = 0,
            description = "The database migrated from. Default: $PGVERIFY_SOURCE.")
    String source;

    @Option(names = "--target", paramLabel = "URL", order = 1,
            description = "The database migrated to. Default: $PGVERIFY_TARGET.")
    String target;

    @Mixin
    VerificationOptions verification;

    @Mixin
    OutputOptions output;

    private final Environment env;

    VerifyCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        output.validate();
        Logging.configure(output.verbose, output.quiet);
        ConnectionSettings sourceSettings = settings(env, "source", source, Environment.SOURCE, Environment.SOURCE_PASSWORD);
        ConnectionSettings targetSettings = settings(env, "target", target, Environment.TARGET, Environment.TARGET_PASSWORD);
        return new Gate(env, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(sourceSettings, targetSettings, verification, output);
    }

    /**
     * The flag, else the environment variable; the password from the URL, else the side's variable, else PGPASSWORD,
     * else none (and pgjdbc reads .pgpass), which is libpq's order. Shared with {@code preflight}.
     */
    static ConnectionSettings settings(Environment env, String side, String flag, String urlVariable, String passwordVariable) {
        String url = flag != null ? flag : env.get(urlVariable);
        if (url == null || url.isBlank()) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                    "No " + side + " given: pass --" + side + " URL or set " + urlVariable + ".");
        }
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.parse(url);
        } catch (VerifyException e) {
            throw new VerifyException(e.errorCode(), "--" + side + (flag != null ? "" : " (from " + urlVariable + ")")
                    + ": " + e.getMessage(), e.sqlState(), e);
        }
        if (!settings.hasPassword()) {
            String password = env.get(passwordVariable) != null ? env.get(passwordVariable) : env.get(Environment.PGPASSWORD);
            if (password != null) {
                settings = settings.toBuilder().password(password).build();
            }
        }
        return settings;
    }
}
