package io.pgverify;

/**
 * Who answered on one side.
 *
 * @param version      {@code server_version}, e.g. {@code 17.4}
 * @param versionNumber {@code server_version_num}, e.g. {@code 170004}
 * @param database     the database verified
 * @param endpoint     host and port with no credentials, e.g. {@code db.example.com:5432}
 */
public record ServerInfo(String version, int versionNumber, String database, String endpoint) {
}
