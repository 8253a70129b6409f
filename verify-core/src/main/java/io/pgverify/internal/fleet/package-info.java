/**
 * Running many verifications at once for {@link io.pgverify.Fleet}: which pair may start now, within the bound on pairs
 * at once and on connections per server. Internal: no compatibility promise.
 */
package io.pgverify.internal.fleet;
