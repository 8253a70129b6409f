package io.pgverify.embedded;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: gives each test method that asks for one a fresh {@link DatabasePair} on the shared servers, and a
 * {@link ServerPair} to tests that need the servers themselves.
 *
 * <pre>{@code
 * @ExtendWith(PostgresPairExtension.class)
 * class CountsIT {
 *     @Test
 *     void findsAMissingRow(DatabasePair db) { ... }
 * }
 * }</pre>
 */
public final class PostgresPairExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DatabasePair.class || type == ServerPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ServerPair servers = ServerPair.shared();
        return parameterContext.getParameter().getType() == ServerPair.class ? servers : servers.newDatabases();
    }
}
