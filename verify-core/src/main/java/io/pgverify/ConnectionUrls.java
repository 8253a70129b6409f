package io.pgverify;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.postgresql.Driver;
import org.postgresql.PGProperty;

import io.pgverify.internal.jdbc.LibpqEnvironment;

/**
 * Reads libpq URIs and JDBC URLs into {@link ConnectionSettings}, completed from the service file and the environment as
 * libpq completes them ({@link LibpqEnvironment}). Every error message shows the URL masked.
 */
final class ConnectionUrls {

    static final int DEFAULT_PORT = 5432;
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final String[] LIBPQ_SCHEMES = {"postgresql://", "postgres://"};
    private static final String ACCEPTED_FORMS = "use a libpq URI (postgresql://user@host:5432/db) "
            + "or a JDBC URL (jdbc:postgresql://host:5432/db)";

    private ConnectionUrls() {
    }

    static ConnectionSettings parse(String url, LibpqEnvironment environment) {
        if (url == null || url.isBlank()) {
            throw invalid("No connection URL given: " + ACCEPTED_FORMS + ".");
        }
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        Map<String, String> explicit = null;
        for (String scheme : LIBPQ_SCHEMES) {
            if (lower.startsWith(scheme)) {
                explicit = parseLibpq(text, text.substring(scheme.length()));
            }
        }
        if (explicit == null && lower.startsWith(JDBC_PREFIX)) {
            explicit = parseJdbc(text);
        }
        if (explicit == null) {
            throw invalid("Unsupported connection URL '" + mask(text) + "': " + ACCEPTED_FORMS + ".");
        }
        // libpq's order: what the URL leaves unset comes from the service file, then the environment, then defaults.
        return build(text, environment.complete(explicit));
    }

    /** {@code postgresql://[user[:password]@][host[:port][,...]][/dbname][?param=value&...]} */
    private static Map<String, String> parseLibpq(String url, String rest) {
        int queryStart = rest.indexOf('?');
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);

        // The user part ends at the last '@' before the query: a raw '@' or '/' in a password still parses.
        int at = beforeQuery.lastIndexOf('@');
        String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
        String hostAndPath = at < 0 ? beforeQuery : beforeQuery.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hostSpec = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String database = slash < 0 ? null : decode(url, hostAndPath.substring(slash + 1), "database name");

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(url, colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            password = colon < 0 ? null : decode(url, userInfo.substring(colon + 1), "password");
        }

        // Only what the URL names goes in: the rest is for the service file, the environment and the defaults.
        Map<String, String> explicit = new LinkedHashMap<>();
        if (!hostSpec.isEmpty()) {
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (String entry : hostSpec.split(",", -1)) {
                splitHostPort(url, entry, hosts, ports);
            }
            explicit.put("host", String.join(",", hosts));
            if (ports.stream().anyMatch(port -> !port.isEmpty())) {
                explicit.put("port", String.join(",", ports));
            }
        }
        putIfNotEmpty(explicit, "dbname", database);
        putIfNotEmpty(explicit, "user", user);
        putIfNotEmpty(explicit, "password", password);

        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw invalid("Malformed connection URL '" + mask(url) + "': parameter '" + pair
                            + "' has no value; write it as name=value.");
                }
                String name = decode(url, pair.substring(0, equals), "parameter name");
                String value = decode(url, pair.substring(equals + 1), "value of " + name);
                if (name.equals("ssl")) {
                    // libpq's JDBC compatibility: ssl=true asks for sslmode=require (not pgjdbc's verify-full).
                    if (!value.equals("true")) {
                        throw invalid("Malformed connection URL '" + mask(url) + "': ssl must be 'true' (or use sslmode=...).");
                    }
                    explicit.put("sslmode", "require");
                } else {
                    explicit.put(name, value);
                }
            }
        }
        return explicit;
    }

    private static void putIfNotEmpty(Map<String, String> explicit, String keyword, String value) {
        if (value != null && !value.isEmpty()) {
            explicit.put(keyword, value);
        }
    }

    private static void splitHostPort(String url, String entry, List<String> hosts, List<String> ports) {
        String host;
        String port = "";
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalid("Malformed connection URL '" + mask(url) + "': the IPv6 address '" + entry
                        + "' has no closing ']'.");
            }
            host = entry.substring(1, close);
            String after = entry.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid("Malformed connection URL '" + mask(url) + "': expected ':port' after '" + entry.substring(0, close + 1) + "'.");
                }
                port = after.substring(1);
            }
        } else {
            int colon = entry.indexOf(':');
            host = decode(url, colon < 0 ? entry : entry.substring(0, colon), "host");
            port = colon < 0 ? "" : entry.substring(colon + 1);
        }
        hosts.add(host);
        ports.add(port);
    }

    /** {@code jdbc:postgresql://host[:port][,...]/database?param=value}: hosts by pgjdbc, parameters by us. */
    private static Map<String, String> parseJdbc(String url) {
        int queryStart = url.indexOf('?');
        String base = queryStart < 0 ? url : url.substring(0, queryStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart + 1);
        if (base.startsWith(JDBC_PREFIX + "//") && base.indexOf('@') >= 0) {
            throw invalid("Malformed JDBC URL '" + mask(url) + "': JDBC URLs take the user and password as parameters "
                    + "(?user=...&password=...), not before the host; or use a postgresql:// URI.");
        }
        // pgjdbc only sees the part before the '?': it logs a URL it cannot read, and the password lives in the query.
        Properties parsed = Driver.parseURL(base, null);
        if (parsed == null) {
            throw invalid("Malformed JDBC URL '" + mask(url) + "': expected jdbc:postgresql://host[:port][,host2[:port2]]/database with ports from 1 to 65535.");
        }
        List<String> hosts = new ArrayList<>();
        for (String host : PGProperty.PG_HOST.getOrDefault(parsed).split(",", -1)) {
            hosts.add(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        }
        // A JDBC URL always names its hosts, ports and database (pgjdbc fills in its defaults): PGHOST cannot apply.
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("host", String.join(",", hosts));
        explicit.put("port", PGProperty.PG_PORT.getOrDefault(parsed));
        putIfNotEmpty(explicit, "dbname", parsed.getProperty(PGProperty.PG_DBNAME.getName()));
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                // pgjdbc decodes values as form data; so do we, or a password with '+' would change.
                String value = equals < 0 ? "" : formDecode(url, pair.substring(equals + 1), name);
                if (name.equals(PGProperty.PG_DBNAME.getName())) {
                    name = "dbname";
                }
                if (!(name.equals("dbname") && value.isEmpty())) {
                    explicit.put(name, value);
                }
            }
        }
        return explicit;
    }

    /** Settings from the completed libpq keywords; whatever is still unset takes libpq's built-in default. */
    private static ConnectionSettings build(String url, Map<String, String> completed) {
        Map<String, String> parameters = new LinkedHashMap<>(completed);
        String hostList = parameters.remove("host");
        String portList = parameters.remove("port");
        String database = parameters.remove("dbname");
        String user = parameters.remove("user");
        String password = parameters.remove("password");
        if (user != null && user.isEmpty()) {
            user = null;
        }
        if (password != null && password.isEmpty()) {
            password = null; // libpq: an empty password is no password, and .pgpass is read
        }
        if (database == null || database.isEmpty()) {
            // libpq: the database defaults to the user name, which defaults to the operating system user.
            database = user != null ? user : System.getProperty("user.name");
        }
        ConnectionSettings.Builder builder = ConnectionSettings.builder().database(database).user(user).password(password);
        List<String> hosts = hostList == null ? List.of("") : List.of(hostList.split(",", -1));
        List<String> portTexts = portList == null ? List.of() : List.of(portList.split(",", -1));
        if (portTexts.size() > 1 && portTexts.size() != hosts.size()) {
            throw invalid("Malformed connection URL '" + mask(url) + "': " + hosts.size() + " hosts but " + portTexts.size()
                    + " ports; give one port, or one per host.");
        }
        for (int i = 0; i < hosts.size(); i++) {
            String portText = portTexts.isEmpty() ? "" : portTexts.get(portTexts.size() == 1 ? 0 : i);
            // An empty host means libpq's default Unix socket; pgjdbc speaks TCP only, so localhost is the nearest.
            String host = hosts.get(i).isEmpty() ? "localhost" : hosts.get(i);
            builder.host(host, port(url, portText));
        }
        parameters.forEach(builder::parameter);
        return builder.build();
    }

    private static int port(String url, String text) {
        if (text.isEmpty()) {
            return DEFAULT_PORT;
        }
        if (text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw invalid("Malformed connection URL '" + mask(url) + "': port '" + text
                + "' is not a number between 1 and 65535.");
    }

    /** libpq's percent-decoding: {@code %XX} only, '+' stays '+', the bytes must be UTF-8. */
    private static String decode(String url, String text, String what) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw badEncoding(url, what);
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw badEncoding(url, what);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw badEncoding(url, what);
        }
    }

    private static String formDecode(String url, String text, String name) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badEncoding(url, "value of " + name);
        }
    }

    private static VerifyException badEncoding(String url, String what) {
        return invalid("Malformed connection URL '" + mask(url) + "': the " + what
                + " has a broken percent-encoding; write a literal '%' as %25.");
    }

    /**
     * The URL with its password masked, even when the URL is too broken to parse: everything between the first ':'
     * after the scheme and the last '@' goes (more than the password when a parameter holds an '@': safe side), and
     * so does any password parameter.
     */
    static String mask(String url) {
        String masked = url;
        int schemeEnd = url.indexOf("://");
        if (schemeEnd >= 0) {
            int start = schemeEnd + 3;
            int at = url.lastIndexOf('@');
            if (at > start) {
                int colon = url.indexOf(':', start);
                if (colon >= 0 && colon < at) {
                    masked = url.substring(0, colon + 1) + Redactor.MASK + url.substring(at);
                }
            }
        }
        return Redactor.structural().redact(masked);
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
