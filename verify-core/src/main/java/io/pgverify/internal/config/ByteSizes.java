package io.pgverify.internal.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pgverify.ErrorCode;
import io.pgverify.VerifyException;

/**
 * Sizes in bytes as people write them: {@code 1048576}, {@code 500kB}, {@code 10MB}, {@code 1.5GB} (powers of 1000),
 * {@code 64MiB} (powers of 1024). Units are case-insensitive and the {@code B} may be left out ({@code 10M}); a
 * fraction of a byte is dropped.
 */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?i?)b?");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L,
            "k", 1_000L, "m", 1_000_000L, "g", 1_000_000_000L, "t", 1_000_000_000_000L,
            "ki", 1L << 10, "mi", 1L << 20, "gi", 1L << 30, "ti", 1L << 40);

    private ByteSizes() {
    }

    /** @throws VerifyException with {@link ErrorCode#INVALID_CONFIGURATION} when the text is not a size */
    public static long parse(String text) {
        Matcher size = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!size.matches() || size.group(2).equals("i")) {
            throw invalid(text);
        }
        BigDecimal bytes = new BigDecimal(size.group(1)).multiply(BigDecimal.valueOf(UNITS.get(size.group(2))));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(text);
        }
        return bytes.longValue();
    }

    private static VerifyException invalid(String text) {
        return new VerifyException(ErrorCode.INVALID_CONFIGURATION,
                "'" + text + "' is not a size in bytes; write e.g. 5000000, 500kB, 10MB or 64MiB.");
    }
}
