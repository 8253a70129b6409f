package io.pgverify.cli;

import io.pgverify.CheckKind;
import io.pgverify.VerifyException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --checks schema,counts}: the labels of {@link CheckKind}. */
final class CheckKinds implements ITypeConverter<CheckKind> {

    @Override
    public CheckKind convert(String value) {
        try {
            return CheckKind.fromLabel(value);
        } catch (VerifyException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
