package io.pgverify.internal.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * What libpq adds to a connection string before it connects, so that pgverify connects where psql, with the same
 * string and the same environment, would.
 *
 * <p>Precedence, as in libpq ({@code conninfo_add_defaults}): a setting in the connection string wins; what it leaves
 * unset comes from the service file's entry ({@code service=} in the string, else {@code PGSERVICE}); what neither
 * sets comes from the environment variable ({@code PGHOST}, {@code PGSSLMODE}, ...); the rest takes the built-in
 * default. Service files: {@code PGSERVICEFILE}, else {@code ~/.pg_service.conf}; a service not found there is looked
 * up in {@code $PGSYSCONFDIR/pg_service.conf} (libpq's compiled-in directory is unknown to us, so only when
 * {@code PGSYSCONFDIR} is set).
 *
 * <p>TLS files, as in libpq: {@code sslmode=require} with a root certificate file present ({@code sslrootcert}, else
 * {@code ~/.postgresql/root.crt}) verifies the server's chain like {@code verify-ca}, which pgjdbc's {@code require}
 * never does, so it becomes {@code verify-ca} with that file; {@code verify-ca}/{@code verify-full} name
 * {@code ~/.postgresql/root.crt} when no root file is given; the client certificate and key default to
 * {@code ~/.postgresql/postgresql.crt} and {@code postgresql.key} (pgjdbc's key default is {@code postgresql.pk8}).
 *
 * <p>Not reused: pgjdbc's {@code PgServiceConfParser}. It is package-private, reads {@code System.getenv} (tests could
 * not inject the environment), stops at the first service file it finds instead of falling back to the system one,
 * and accepts pgjdbc's property names rather than libpq's keywords ({@code connect_timeout} is an error there).
 *
 * <p>The environment and the home directory are passed in: {@code HOME} from the variables (libpq reads it first),
 * else {@code user.home}.
 */
public final class LibpqEnvironment {

    /** libpq keyword → its environment variable, for every keyword the JDBC driver can honour. */
    private static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("host", "PGHOST");
        VARIABLES.put("port", "PGPORT");
        VARIABLES.put("dbname", "PGDATABASE");
        VARIABLES.put("user", "PGUSER");
        VARIABLES.put("connect_timeout", "PGCONNECT_TIMEOUT");
        VARIABLES.put("application_name", "PGAPPNAME");
        VARIABLES.put("options", "PGOPTIONS");
        VARIABLES.put("sslmode", "PGSSLMODE");
        VARIABLES.put("sslnegotiation", "PGSSLNEGOTIATION");
        VARIABLES.put("sslrootcert", "PGSSLROOTCERT");
        VARIABLES.put("sslcert", "PGSSLCERT");
        VARIABLES.put("sslkey", "PGSSLKEY");
        VARIABLES.put("channel_binding", "PGCHANNELBINDING");
        VARIABLES.put("gssencmode", "PGGSSENCMODE");
        VARIABLES.put("require_auth", "PGREQUIREAUTH");
        VARIABLES.put("krbsrvname", "PGKRBSRVNAME");
        VARIABLES.put("target_session_attrs", "PGTARGETSESSIONATTRS");
        VARIABLES.put("load_balance_hosts", "PGLOADBALANCEHOSTS");
    }

    /**
     * Variables libpq honours that the JDBC driver cannot. Ignoring them would connect elsewhere than psql
     * (PGHOSTADDR) or with less protection than asked for (the rest), so they are refused, not skipped.
     */
    private static final Map<String, String> REFUSED = Map.of(
            "PGHOSTADDR", "the JDBC driver cannot connect to an address apart from the host name; put the address in PGHOST or the URL",
            "PGSSLCRL", "the JDBC driver does not check certificate revocation lists",
            "PGSSLCRLDIR", "the JDBC driver does not check certificate revocation lists",
            "PGSSLMINPROTOCOLVERSION", "set the JVM's jdk.tls.client.protocols instead",
            "PGSSLMAXPROTOCOLVERSION", "set the JVM's jdk.tls.client.protocols instead",
            "PGSSLCERTMODE", "the JDBC driver has no such setting",
            "PGREQUIREPEER", "Unix-domain sockets are not supported");

    /** pgjdbc's names for libpq keywords: a JDBC URL that sets one keeps the environment's value out. */
    private static final Map<String, List<String>> PGJDBC_NAMES = Map.of(
            "sslmode", List.of("ssl"),
            "connect_timeout", List.of("connectTimeout"),
            "application_name", List.of("ApplicationName"),
            "target_session_attrs", List.of("targetServerType"),
            "channel_binding", List.of("channelBinding"),
            "gssencmode", List.of("gssEncMode"),
            "require_auth", List.of("requireAuth"),
            "krbsrvname", List.of("kerberosServerName"),
            "load_balance_hosts", List.of("loadBalanceHosts"),
            "sslnegotiation", List.of("sslNegotiation"));

    /** Keywords a service file may hold: libpq's (the ones pgjdbc cannot honour are refused later, by name). */
    private static final Set<String> SERVICE_KEYWORDS = new HashSet<>(VARIABLES.keySet());

    static {
        SERVICE_KEYWORDS.addAll(List.of("password", "passfile", "hostaddr", "sslpassword", "sslcrl", "sslcrldir", "sslsni",
                "sslcompression", "ssl_min_protocol_version", "ssl_max_protocol_version", "sslcertmode", "keepalives",
                "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "requirepeer",
                "replication", "gssdelegation", "gsslib", "fallback_application_name", "client_encoding", "sslkeylogfile"));
    }

    private final Map<String, String> variables;
    private final Path home;

    /** @param variables the environment; {@code HOME} in it is the home directory, else the JVM's {@code user.home} */
    public LibpqEnvironment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
        String homeVariable = get("HOME");
        this.home = Path.of(homeVariable != null ? homeVariable : System.getProperty("user.home"));
    }

    public static LibpqEnvironment system() {
        return new LibpqEnvironment(System.getenv());
    }

    /**
     * The connection string's settings completed as libpq completes them: service file entry, environment, TLS files.
     *
     * @param explicit what the string sets, by libpq keyword (or pgjdbc name, from a JDBC URL); {@code host} and
     *                 {@code port} as comma-separated lists
     * @return a new map, without {@code service}
     * @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} for a missing service, a malformed service
     *                         file, or a variable the driver cannot honour
     */
    public Map<String, String> complete(Map<String, String> explicit) {
        Map<String, String> settings = new LinkedHashMap<>(explicit);
        String service = settings.remove("service");
        if (service == null) {
            service = get("PGSERVICE");
        }
        if (service != null) {
            serviceEntry(service).forEach((keyword, value) -> {
                if (!isSet(settings, keyword)) {
                    settings.put(keyword, value);
                }
            });
        }
        for (Map.Entry<String, String> variable : REFUSED.entrySet()) {
            if (get(variable.getKey()) != null) {
                throw invalid(variable.getKey() + " is set, but " + variable.getValue() + "; unset it for pgverify.");
            }
        }
        VARIABLES.forEach((keyword, variable) -> {
            String value = get(variable);
            if (value != null && !isSet(settings, keyword)) {
                settings.put(keyword, value);
            }
        });
        applyTlsFiles(settings);
        return settings;
    }

    private static boolean isSet(Map<String, String> settings, String keyword) {
        if (settings.containsKey(keyword)) {
            return true;
        }
        for (String name : PGJDBC_NAMES.getOrDefault(keyword, List.of())) {
            if (settings.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** libpq's default certificate files, and its {@code require} that verifies when a root certificate exists. */
    private void applyTlsFiles(Map<String, String> settings) {
        String mode = settings.get("sslmode");
        if (mode == null && settings.containsKey("ssl")) {
            return; // pgjdbc's own ssl=true (verify-full): pgjdbc's defaults apply, as the JDBC URL asked
        }
        String sslmode = mode == null ? "prefer" : mode.trim().toLowerCase(Locale.ROOT);
        if (sslmode.equals("disable")) {
            return;
        }
        Path directory = home.resolve(".postgresql");
        putIfFileExists(settings, "sslcert", directory.resolve("postgresql.crt"));
        putIfFileExists(settings, "sslkey", directory.resolve("postgresql.key"));
        String rootCert = settings.get("sslrootcert");
        Path rootFile = rootCert != null ? Path.of(rootCert) : directory.resolve("root.crt");
        if (sslmode.equals("require") && Files.isRegularFile(rootFile)) {
            // libpq: "if a root CA file exists, the behavior of sslmode=require will be the same as that of verify-ca".
            settings.put("sslmode", "verify-ca");
            settings.put("sslrootcert", rootFile.toString());
        } else if ((sslmode.equals("verify-ca") || sslmode.equals("verify-full")) && rootCert == null) {
            settings.put("sslrootcert", rootFile.toString());
        }
    }

    private static void putIfFileExists(Map<String, String> settings, String keyword, Path file) {
        if (!settings.containsKey(keyword) && Files.isRegularFile(file)) {
            settings.put(keyword, file.toString());
        }
    }

    /** The service's settings: the user's service file first, then the system's, as libpq looks. */
    private Map<String, String> serviceEntry(String service) {
        List<Path> files = new ArrayList<>();
        String userFile = get("PGSERVICEFILE");
        files.add(userFile != null ? Path.of(userFile) : home.resolve(".pg_service.conf"));
        String systemDirectory = get("PGSYSCONFDIR");
        if (systemDirectory != null) {
            files.add(Path.of(systemDirectory, "pg_service.conf"));
        }
        for (Path file : files) {
            Map<String, String> entry = readService(file, service);
            if (entry != null) {
                return entry;
            }
        }
        throw invalid("Service \"" + service + "\" is not defined in " + String.join(" or ", files.stream().map(Path::toString).toList())
                + "; check the service name, or set PGSERVICEFILE to the file that defines it.");
    }

    /**
     * libpq's {@code parseServiceFile}: lines trimmed, {@code #} comments, {@code [name]} sections, {@code key=value}
     * with nothing trimmed around the {@code =}, the first value of a key wins. Null when the file or the service is
     * absent. Messages name the line, never its value: it may be a password.
     */
    private static Map<String, String> readService(Path file, String service) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw invalid("Cannot read the service file " + file + " (" + e.getClass().getSimpleName()
                    + "); check its permissions.");
        }
        Map<String, String> entry = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (entry != null) {
                    break; // the next section: the service's ends here
                }
                if (line.startsWith("[" + service + "]")) {
                    entry = new LinkedHashMap<>();
                }
                continue;
            }
            if (entry == null || line.startsWith("ldap://")) {
                continue;
            }
            int equals = line.indexOf('=');
            String keyword = equals < 0 ? null : line.substring(0, equals);
            if ("service".equals(keyword)) {
                throw invalid("Service file " + file + ", line " + (i + 1) + ": a service cannot name another service; "
                        + "copy its settings instead.");
            }
            if (keyword == null || !SERVICE_KEYWORDS.contains(keyword)) {
                throw invalid("Service file " + file + ", line " + (i + 1) + ": expected keyword=value with a libpq "
                        + "keyword such as host or sslmode; fix or remove the line.");
            }
            entry.putIfAbsent(keyword, line.substring(equals + 1));
        }
        return entry;
    }

    /** The variable's value, or null when it is unset or empty (an empty one counts as unset, as for our own variables). */
    private String get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
