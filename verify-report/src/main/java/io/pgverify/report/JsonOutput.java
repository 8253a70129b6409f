package io.pgverify.report;

import java.io.IOException;
import java.io.Writer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * How every JSON report of pgverify is laid out (the verification's and the preflight's): two-space indents, {@code \n}
 * line ends on every platform, {@code "name": value}. The writer belongs to the caller: the generator flushes it and
 * never closes it.
 */
public final class JsonOutput {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonOutput() {
    }

    /** A generator over {@code out} in the reports' layout; closing it leaves {@code out} open. */
    public static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator json = JSON.createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));
        return json;
    }
}
