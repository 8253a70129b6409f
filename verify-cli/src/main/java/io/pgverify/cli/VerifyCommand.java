package io.pgverify.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.pgverify.ConnectionSettings;
import io.pgverify.Redactor;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgverify verify}: the gate. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = PgVerify.Version.class,
        modelTransformer = VerificationOptions.Added.class,
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
            "  PGHOST, PGPORT, PGUSER, PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGCONNECT_TIMEOUT,",
            "  PGAPPNAME, PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR, ...  as in psql: fill what a URL leaves unset",
            "  PGVERIFY_<OPTION>         any option above (PGVERIFY_THREADS=8): the flag wins",
            "  NO_COLOR                  no colour when set",
            "  PGVERIFY_JAVA_OPTS        JVM options for bin/pgverify, e.g. -Xmx2g",
            "",
            "Examples:",
            "  pgverify verify --source postgresql://app@old-db/shop \\",
            "                  --target postgresql://app@new-db/shop",
            "  export PGVERIFY_SOURCE=... PGVERIFY_TARGET=...",
            "  pgverify verify --exclude 'audit.*' --format json --report gate.json"})
final class VerifyCommand implements Callable<Integer>, PgVerify.HoldsSecrets {

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "URL", order = 0,
            description = "The database migrated from. Default: $PGVERIFY_SOURCE.")
    String source;

    @Option(names = "--target", paramLabel = "URL", order = 1,
            description = "The database migrated to. Default: $PGVERIFY_TARGET.")
    String target;

    @Option(names = "--source-password-file", paramLabel = "FILE", order = 2,
            description = "Read the source's password from the first line of FILE, out of the process list and shell history.")
    Path sourcePasswordFile;

    @Option(names = "--target-password-file", paramLabel = "FILE", order = 3,
            description = "Read the target's password from the first line of FILE.")
    Path targetPasswordFile;

    @Mixin
    OutputOptions output;

    private final Environment env;
    /** Masks the passwords this command was given, once it knows them. */
    private Redactor redactor = Redactor.structural();

    VerifyCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public Integer call() {
        output.validate();
        Logging.configure(output.verbose, output.quiet);
        ConnectionSettings sourceSettings = settings(env, "source", source, sourcePasswordFile, Environment.SOURCE,
                Environment.SOURCE_PASSWORD);
        ConnectionSettings targetSettings = settings(env, "target", target, targetPasswordFile, Environment.TARGET,
                Environment.TARGET_PASSWORD);
        redactor = Redactor.of(sourceSettings, targetSettings);
        warnOfPasswordsOnTheCommandLine(spec.commandLine().getErr(), output.quiet, source, target);
        return new Gate(env, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(sourceSettings, targetSettings, VerificationOptions.of(spec), output);
    }

    /**
     * The flag, else the environment variable, completed from libpq's environment and service file as psql would;
     * the password from the URL (or its service), else the password file, else the side's variable, else PGPASSWORD,
     * else none (and pgjdbc reads .pgpass), which is libpq's order with our flag and variable in front of PGPASSWORD.
     * Shared with {@code preflight}.
     */
    static ConnectionSettings settings(Environment env, String side, String flag, Path passwordFile, String urlVariable,
                                       String passwordVariable) {
        String url = flag != null ? flag : env.get(urlVariable);
        if (url == null || url.isBlank()) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                    "No " + side + " given: pass --" + side + " URL or set " + urlVariable + ".");
        }
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.parse(url, env.variables());
        } catch (VerifyException e) {
            throw new VerifyException(e.errorCode(), "--" + side + (flag != null ? "" : " (from " + urlVariable + ")")
                    + ": " + e.getMessage(), e.sqlState(), e);
        }
        if (passwordFile != null) {
            if (holdsPassword(url)) {
                throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--" + side + "-password-file is given, but the "
                        + side + " URL holds a password too: remove the password from the URL.");
            }
            return settings.toBuilder().password(readPassword(side, passwordFile)).build();
        }
        if (!settings.hasPassword()) {
            String password = env.get(passwordVariable) != null ? env.get(passwordVariable) : env.get(Environment.PGPASSWORD);
            if (password != null) {
                settings = settings.toBuilder().password(password).build();
            }
        }
        return settings;
    }

    /** The first line of the file, as the password; the file's content never appears in a message. */
    private static String readPassword(String side, Path file) {
        String line;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            line = reader.readLine();
        } catch (IOException e) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--" + side + "-password-file: cannot read " + file
                    + " (" + e.getClass().getSimpleName() + "); check the path and its permissions.");
        }
        if (line == null || line.isEmpty()) {
            throw new VerifyException(ErrorCode.INVALID_CONFIGURATION, "--" + side + "-password-file: " + file
                    + " has no password on its first line; write the password there.");
        }
        return line;
    }

    /**
     * A password in a URL on the command line can be read by every user of the machine (ps, /proc) and stays in the
     * shell's history: say so once, with the ways that avoid it. Not for URLs from PGVERIFY_SOURCE/TARGET. Shared with
     * {@code preflight}.
     */
    static void warnOfPasswordsOnTheCommandLine(java.io.PrintWriter err, boolean quiet, String source, String target) {
        List<String> sides = new ArrayList<>();
        if (source != null && holdsPassword(source)) {
            sides.add("source");
        }
        if (target != null && holdsPassword(target)) {
            sides.add("target");
        }
        if (sides.isEmpty() || quiet) {
            return;
        }
        String flags = String.join(" and ", sides.stream().map(side -> "--" + side).toList());
        String variables = String.join("/", sides.stream().map(side -> "PGVERIFY_" + side.toUpperCase(Locale.ROOT) + "_PASSWORD").toList());
        String files = String.join("/", sides.stream().map(side -> "--" + side + "-password-file FILE").toList());
        err.println("pgverify: warning: the password in " + flags + " is visible to other users "
                + "of this machine (process list) and stays in your shell history; give it with " + variables
                + " or PGPASSWORD, in ~/.pgpass, in a service file (service=name), or with " + files + " instead.");
    }

    /** True when the URL itself carries a password: {@code user:password@}, or a {@code password=} parameter. */
    static boolean holdsPassword(String url) {
        String text = url.strip();
        int query = text.indexOf('?');
        String base = query < 0 ? text : text.substring(0, query);
        int scheme = base.indexOf("://");
        int at = base.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            String userInfo = base.substring(scheme + 3, at);
            int colon = userInfo.indexOf(':');
            if (colon >= 0 && colon < userInfo.length() - 1) {
                return true;
            }
        }
        if (query >= 0) {
            for (String pair : text.substring(query + 1).split("&")) {
                if (pair.startsWith("password=") && pair.length() > "password=".length()) {
                    return true;
                }
            }
        }
        return false;
    }
}
