package io.pgverify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text before it leaves the process: exception messages, log lines, reports.
 *
 * <pre>{@code
 * Redactor redactor = verifier.redactor();          // knows the passwords the verifier was built with
 * log.warn(redactor.redact(failure.getMessage()));
 * }</pre>
 *
 * <p>Two layers, because either alone misses something. Patterns mask what looks like a secret wherever it stands:
 * {@code user:password@} in URLs and {@code password=...} in conninfo strings, JDBC URLs and
 * {@code Properties.toString()}; {@link #structural()} does only that. Known secrets (the passwords a
 * {@link Verifier} was built with) are masked wherever they occur, raw or percent-encoded: that catches a password a
 * server or driver echoes in an unforeseen place. Each verifier has its own redactor: nothing is shared by the JVM,
 * so one verifier's password never garbles another's messages. A secret shorter than
 * {@value #MIN_MASKED_LENGTH} characters is masked only where the patterns see a password: masked everywhere, a
 * password {@code 1} would turn {@code 127.0.0.1} into {@code ****27.0.0.****}.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "****";

    /** Shorter known secrets are left to the patterns: see the class comment. */
    public static final int MIN_MASKED_LENGTH = 6;

    private static final Redactor STRUCTURAL = new Redactor(List.of());

    /** {@code scheme://user:secret@}: the secret runs to the last '@' before whitespace, as a raw '@' may be in it. */
    private static final Pattern URL_USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\\s]*):[^\\s]*@");

    /** {@code password=secret}, {@code sslpassword='quoted secret'}, {@code "password":"secret"}. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)(password\"?\\s*[=:]\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|[^&\\s;,}\\])]*)");

    /** Longest first, so that a secret containing another is masked whole. */
    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Masks only what looks like a password (URLs' user info, {@code password=...}). */
    public static Redactor structural() {
        return STRUCTURAL;
    }

    /**
     * Masks these secrets wherever they occur, raw or percent-encoded, as well as what looks like a password; null,
     * empty and short secrets (under {@value #MIN_MASKED_LENGTH} characters) are left to the patterns.
     */
    public static Redactor of(Collection<String> secrets) {
        Set<String> known = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_MASKED_LENGTH) {
                known.add(secret);
                String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
                known.add(encoded);
                known.add(encoded.replace("+", "%20"));
            }
        }
        return new Redactor(known.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** Masks the passwords of these connection settings (and their TLS keys'), as well as what looks like a password. */
    public static Redactor of(ConnectionSettings... sides) {
        List<String> secrets = new java.util.ArrayList<>();
        for (ConnectionSettings side : sides) {
            if (side != null) {
                secrets.add(side.password());
                secrets.add(side.parameters().get("sslpassword"));
            }
        }
        return of(secrets);
    }

    /** The text with every known secret and everything that looks like a password masked; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        result = URL_USERINFO.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        result = KEY_VALUE.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskKeepingQuotes(m.group(2))));
        return result;
    }

    /** The message of a throwable, redacted; its class name when it has none. */
    public String message(Throwable e) {
        String message = e.getMessage();
        return redact(message == null ? e.getClass().getSimpleName() : message);
    }

    /**
     * The same exception, or a copy whose message is redacted when it held a known secret (the cause is kept for its
     * stack trace, which must pass through {@link #redact} before it is shown).
     */
    public VerifyException redact(VerifyException e) {
        String masked = redact(e.getMessage());
        if (masked.equals(e.getMessage())) {
            return e;
        }
        VerifyException copy = new VerifyException(e.errorCode(), masked, e.sqlState(), e.getCause());
        copy.setStackTrace(e.getStackTrace());
        return copy;
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
