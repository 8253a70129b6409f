/**
 * Resume and pacing: the state file of verified key ranges, the schedule of a table's ranges that skips those
 * verified before, and the rate limits on each side.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.resume;
