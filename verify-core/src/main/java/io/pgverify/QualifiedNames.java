package io.pgverify;

import java.util.regex.Pattern;

/** Display forms of SQL names for reports: quoted only where SQL would need quotes. */
final class QualifiedNames {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private QualifiedNames() {
    }

    static String display(String schema, String name) {
        return part(schema) + "." + part(name);
    }

    static String part(String identifier) {
        return PLAIN.matcher(identifier).matches() ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
