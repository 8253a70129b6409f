/**
 * The machinery behind {@link io.pgverify.Verifier}. Everything under {@code io.pgverify.internal} may change in any
 * release: there is no compatibility promise here. Use the {@code io.pgverify} package.
 */
package io.pgverify.internal;
