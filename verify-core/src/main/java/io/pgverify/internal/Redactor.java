package io.pgverify.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that masks secrets in text before it leaves the process: exception messages, log lines, reports.
 *
 * <p>Two layers, because either alone misses something. Known secrets (the passwords of the run, registered when
 * connection settings are used) are masked wherever they occur, raw or percent-encoded: that catches a password a
 * server or driver echoes in an unforeseen place. Patterns mask what looks like a secret even when it was never
 * registered: {@code user:password@} in URLs and {@code password=...} in conninfo strings, JDBC URLs and
 * {@code Properties.toString()}.
 *
 * <p>The registry is process-wide and only grows: a secret once seen stays masked for the life of the JVM. A short
 * password mangles unrelated text where it recurs; that is the price of never printing it.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    /** {@code scheme://user:secret@}: the secret runs to the last '@' before whitespace, as a raw '@' may be in it. */
    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\\s]*):[^\\s]*@");

    /** {@code password=secret}, {@code sslpassword='quoted secret'}, {@code "password":"secret"}. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)(password\"?\\s*[=:]\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|[^&\\s;,}\\])]*)");

    private Redactor() {
    }

    /** Remembers a secret so that {@link #redact(String)} masks it from now on; null and empty are ignored. */
    public static void registerSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            SECRETS.add(secret);
            String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
            if (!encoded.equals(secret)) {
                SECRETS.add(encoded);
                SECRETS.add(encoded.replace("+", "%20"));
            }
        }
    }

    /** The text with every known secret and everything that looks like a password masked; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        // Longest first, so that a secret containing another is masked whole.
        List<String> secrets = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        result = URL_USERINFO.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        result = KEY_VALUE.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskKeepingQuotes(m.group(2))));
        return result;
    }

    /** The message of a throwable, redacted; its class name when it has none. */
    public static String message(Throwable e) {
        String message = e.getMessage();
        return redact(message == null ? e.getClass().getSimpleName() : message);
    }

    private static String maskKeepingQuotes(String value) {
        if (value.isEmpty() || value.equals(MASK)) {
            return value;
        }
        char first = value.charAt(0);
        if ((first == '"' || first == '\'') && value.length() >= 2) {
            return first + MASK + first;
        }
        return MASK;
    }
}
