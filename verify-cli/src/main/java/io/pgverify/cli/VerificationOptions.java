package io.pgverify.cli;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.pgverify.Setting;
import io.pgverify.Verifier;
import io.pgverify.VerifyException;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * What to verify and how hard to push: one option per {@link Setting} row, shared by {@code verify} and {@code demo}
 * and mapped onto {@link Verifier.Builder}. The options, their help ("Default: 1s. Environment: PGVERIFY_CHUNK_TIME.")
 * and the variables read are generated from the rows, so that a setting added to the table is an option without
 * being written here. A flag wins over its variable, the variable over the builder's default.
 */
final class VerificationOptions {

    /** Where the verification options start in {@code --help}: after --source and --target, before the output options. */
    private static final int FIRST_ORDER = 10;

    private final ParseResult parsed;

    private VerificationOptions(ParseResult parsed) {
        this.parsed = parsed;
    }

    /** The options as given to the command now running ({@code @Spec CommandSpec} of verify or demo). */
    static VerificationOptions of(CommandSpec command) {
        return new VerificationOptions(command.commandLine().getParseResult());
    }

    /**
     * Adds an option per setting to a command: {@code @Command(modelTransformer = VerificationOptions.Added.class)}.
     * Picocli builds the command from its annotations and then hands it here.
     */
    static final class Added implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (Setting setting : Setting.values()) {
                command.addOption(option(setting));
            }
            return command;
        }
    }

    static OptionSpec option(Setting setting) {
        OptionSpec.Builder option = OptionSpec.builder(setting.option())
                .order(FIRST_ORDER + setting.ordinal())
                .description(help(setting));
        if (!setting.type().takesValue()) {
            return option.type(boolean.class).arity("0").build();
        }
        option.paramLabel(setting.paramLabel()).converters(new Text(setting));
        if (setting.type().isList()) {
            option.type(List.class).auxiliaryTypes(String.class);
        } else {
            option.type(String.class);
        }
        if (setting.valueWhenGivenAlone() != null) {
            option.arity("0..1").fallbackValue(setting.valueWhenGivenAlone());
        }
        return option.build();
    }

    /** The row's sentence, its default and its variable; picocli formats help text, so a % must be doubled. */
    static String help(Setting setting) {
        return (setting.description() + " Default: " + setting.defaultText() + ". Environment: "
                + setting.environmentVariable() + ".").replace("%", "%%");
    }

    /**
     * Checks the text as the builder will read it, so that a malformed value is picocli's usage error naming the
     * option; the text itself is kept and handed to {@link Verifier.Builder#set(Setting, String, String)}.
     */
    private record Text(Setting setting) implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                setting.parse(value);
            } catch (VerifyException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }

    /** A setting's text and how it was given: the flag, or the variable when the flag was not. */
    record Given(String text, String as) {
    }

    /** Every setting given, by flag or else by environment variable; the builder owns the defaults and bounds. */
    Map<Setting, Given> given(Environment env) {
        Map<Setting, Given> given = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            OptionSpec option = parsed.matchedOption(setting.option());
            String variable = env.get(setting.environmentVariable());
            if (option != null) {
                given.put(setting, new Given(text(option), setting.option()));
            } else if (variable != null) {
                given.put(setting, new Given(variable, setting.environmentVariable()));
            }
        }
        return given;
    }

    Verifier.Builder applyTo(Verifier.Builder builder, Environment env) {
        given(env).forEach((setting, given) -> builder.set(setting, given.text(), given.as()));
        return builder;
    }

    private static String text(OptionSpec given) {
        Object value = given.getValue();
        if (value instanceof List<?> values) {
            // Repeated flags add up; the builder splits the commas again (outside quotes, for table patterns).
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
