/** The preflight report's writers: text, JSON and JUnit XML. */
package io.pgverify.report.preflight;
