/**
 * Resume and pacing: the state file of verified key ranges and the schedule that skips them, the rate limits, and
 * the retries and rechecks that let a verification survive a dropped connection and rows in flight.
 *
 * <p>Internal to pgverify: no compatibility promise. Use the API in {@code io.pgverify}.
 */
package io.pgverify.internal.resume;
