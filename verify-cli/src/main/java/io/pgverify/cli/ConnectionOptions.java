package io.pgverify.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.pgverify.ConnectionSettings;
import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

import picocli.CommandLine.Option;

/**
 * Where the source and the target are and how to log in, for every command that connects ({@code verify},
 * {@code preflight}): the URLs, from the flags or {@code PGVERIFY_SOURCE}/{@code PGVERIFY_TARGET}, completed as psql
 * would, and the passwords from the URL, a password file or the environment.
 */
final class ConnectionOptions {

    @Option(names = "--source", paramLabel = "URL", order = 0,
            description = "The source database, the one migrated from. Default: $PGVERIFY_SOURCE.")
    String source;

    @Option(names = "--target", paramLabel = "URL", order = 1,
            description = "The target database, the one migrated to. Default: $PGVERIFY_TARGET.")
    String target;

    @Option(names = "--source-password-file", paramLabel = "FILE", order = 2,
            description = "Read the source's password from the first line of FILE, out of the process list and shell history.")
    Path sourcePasswordFile;

    @Option(names = "--target-password-file", paramLabel = "FILE", order = 3,
            description = "Read the target's password from the first line of FILE.")
    Path targetPasswordFile;

    /** The source's settings. */
    ConnectionSettings source(Environment env) {
        return settings(env, "source", source, sourcePasswordFile, Environment.SOURCE, Environment.SOURCE_PASSWORD);
    }

    /** The target's settings. */
    ConnectionSettings target(Environment env) {
        return settings(env, "target", target, targetPasswordFile, Environment.TARGET, Environment.TARGET_PASSWORD);
    }

    /** Whether a target was named, by its flag or its variable: for commands where it is optional. */
    boolean hasTarget(Environment env) {
        return target != null || env.get(Environment.TARGET) != null;
    }

    /**
     * The flag, else the environment variable, completed from libpq's environment and service file as psql would;
     * the password from the URL (or its service), else the password file, else the side's variable, else PGPASSWORD,
     * else none (and pgjdbc reads .pgpass), which is libpq's order with our flag and variable in front of PGPASSWORD.
     */
    private static ConnectionSettings settings(Environment env, String side, String flag, Path passwordFile,
                                               String urlVariable, String passwordVariable) {
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
     * shell's history: say so once, with the ways that avoid it. Not for URLs from PGVERIFY_SOURCE/TARGET. 
     */
    void warnOfPasswordsOnTheCommandLine(PrintWriter err, boolean quiet) {
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
