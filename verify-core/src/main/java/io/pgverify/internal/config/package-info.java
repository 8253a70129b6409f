/**
 * The settings of a verification once validated ({@link io.pgverify.internal.config.VerificationSettings}), and
 * reading settings as people write them: durations ({@code 90s}, {@code 1h30m}) and sizes ({@code 50MB}), the same
 * for the library's {@link io.pgverify.Setting} text, the command line and the environment.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.config;
