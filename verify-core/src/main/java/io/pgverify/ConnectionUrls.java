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

import io.pgverify.internal.Redactor;

/** Reads libpq URIs and JDBC URLs into {@link ConnectionSettings}. Every error message shows the URL masked. */
final class ConnectionUrls {

    static final int DEFAULT_PORT = 5432;
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final String[] LIBPQ_SCHEMES = {"postgresql://", "postgres://"};
    private static final String ACCEPTED_FORMS = "use a libpq URI (postgresql://user@host:5432/db) "
            + "or a JDBC URL (jdbc:postgresql://host:5432/db)";

    private ConnectionUrls() {
    }

    static ConnectionSettings parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("No connection URL given: " + ACCEPTED_FORMS + ".");
        }
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        for (String scheme : LIBPQ_SCHEMES) {
            if (lower.startsWith(scheme)) {
                return parseLibpq(text, text.substring(scheme.length()));
            }
        }
        if (lower.startsWith(JDBC_PREFIX)) {
            return parseJdbc(text);
        }
        throw invalid("Unsupported connection URL '" + mask(text) + "': " + ACCEPTED_FORMS + ".");
    }

    /** {@code postgresql://[user[:password]@][host[:port][,...]][/dbname][?param=value&...]} */
    private static ConnectionSettings parseLibpq(String url, String rest) {
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

        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        if (!hostSpec.isEmpty()) {
            for (String entry : hostSpec.split(",", -1)) {
                splitHostPort(url, entry, hosts, ports);
            }
        }

        Map<String, String> parameters = new LinkedHashMap<>();
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
                switch (name) {
                    case "host" -> {
                        hosts.clear();
                        for (String host : value.split(",", -1)) {
                            hosts.add(host);
                        }
                    }
                    case "port" -> {
                        ports.clear();
                        for (String port : value.split(",", -1)) {
                            ports.add(port);
                        }
                    }
                    case "dbname" -> database = value;
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "ssl" -> {
                        // libpq's JDBC compatibility: ssl=true asks for sslmode=require (not pgjdbc's verify-full).
                        if (!value.equals("true")) {
                            throw invalid("Malformed connection URL '" + mask(url) + "': ssl must be 'true' (or use sslmode=...).");
                        }
                        parameters.put("sslmode", "require");
                    }
                    default -> parameters.put(name, value);
                }
            }
        }
        return build(url, hosts, ports, database, user, password, parameters);
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
    private static ConnectionSettings parseJdbc(String url) {
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
        List<String> ports = new ArrayList<>(List.of(PGProperty.PG_PORT.getOrDefault(parsed).split(",", -1)));
        String database = parsed.getProperty(PGProperty.PG_DBNAME.getName());
        String user = null;
        String password = null;
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                // pgjdbc decodes values as form data; so do we, or a password with '+' would change.
                String value = equals < 0 ? "" : formDecode(url, pair.substring(equals + 1), name);
                if (name.equals(PGProperty.USER.getName())) {
                    user = value;
                } else if (name.equals(PGProperty.PASSWORD.getName())) {
                    password = value;
                } else if (name.equals(PGProperty.PG_DBNAME.getName())) {
                    database = value;
                } else {
                    parameters.put(name, value);
                }
            }
        }
        return build(url, hosts, ports, database, user, password, parameters);
    }

    private static ConnectionSettings build(String url, List<String> hosts, List<String> portTexts, String database,
                                            String user, String password, Map<String, String> parameters) {
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
        if (hosts.isEmpty()) {
            hosts.add("");
        }
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
        return Redactor.redact(masked);
    }

    private static VerifyException invalid(String message) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
