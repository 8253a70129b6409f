package io.pgverify.internal.preflight;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.pgverify.PreflightFinding;
import io.pgverify.PreflightFinding.Severity;
import io.pgverify.PreflightReport.NotChecked;

/** Collects what the checks find, cannot check, or skip; blockers come first in the report. */
final class Findings {

    private final List<PreflightFinding> findings = new ArrayList<>();
    private final List<NotChecked> notChecked = new ArrayList<>();
    private final List<NotChecked> skipped = new ArrayList<>();

    /** Adds a finding unless it concerns no object: a finding always names what a runbook acts on. */
    void add(String code, Severity severity, String title, List<String> objects, String why, String whatToDo) {
        if (severity != null && !objects.isEmpty()) {
            findings.add(new PreflightFinding(code, severity, title, objects, why, whatToDo));
        }
    }

    void notChecked(String code, String reason) {
        notChecked.add(new NotChecked(code, reason));
    }

    void skipped(String code, String reason) {
        skipped.add(new NotChecked(code, reason));
    }

    List<PreflightFinding> findings() {
        List<PreflightFinding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(PreflightFinding::severity)); // stable: check order within a severity
        return sorted;
    }

    List<NotChecked> notChecked() {
        return notChecked;
    }

    List<NotChecked> skipped() {
        return skipped;
    }
}
