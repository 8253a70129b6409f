package io.pgverify.internal.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.pgverify.PreflightFinding.Severity;

/**
 * Login roles whose passwords are stored as md5 hashes: a target that authenticates with SCRAM cannot use them, and
 * clients whose libpq predates version 10 cannot speak SCRAM at all. The most frequent cause of failed upgrades in
 * the migration stories this check comes from.
 */
final class Passwords {

    static final String CODE = "md5_passwords";

    private Passwords() {
    }

    static void run(Probe p) throws SQLException {
        if (!Probe.superuser(p.source)) {
            // pg_authid holds the hashes and only a superuser may read it; pg_roles shows '********' to everyone.
            p.findings.notChecked(CODE, "reading how passwords are stored (pg_authid.rolpassword) needs a superuser; "
                    + "run the preflight as one, or check on the source with: SELECT rolname FROM pg_authid WHERE "
                    + "rolcanlogin AND rolpassword LIKE 'md5%'");
            return;
        }
        String targetEncryption = p.hasTarget() ? Probe.text(p.target,
                "SELECT reset_val FROM pg_settings WHERE name = 'password_encryption'") : null;
        List<String> roles = new ArrayList<>();
        Probe.query(p.source, "SELECT rolname FROM pg_authid WHERE rolcanlogin AND rolpassword LIKE 'md5%' ORDER BY 1",
                rs -> roles.add("role " + Probe.part(rs.getString(1)) + " (md5)"));
        boolean scramTarget = targetEncryption == null || !targetEncryption.equals("md5");
        p.findings.add(CODE, scramTarget ? Severity.WARNING : Severity.INFO,
                "Login roles with md5 password hashes", roles,
                (targetEncryption == null
                        ? "PostgreSQL 14 and later store new passwords as scram-sha-256 by default (no target was given to "
                                + "compare with). "
                        : "The target's password_encryption is " + targetEncryption + ". ")
                        + "An md5 hash cannot be used by a pg_hba.conf rule that says scram-sha-256, so these roles cannot log "
                        + "in there until their passwords are set again; once they are stored as SCRAM, only clients that "
                        + "speak SCRAM can log in: libpq 10 or later (psycopg2, Ruby pg, node-pg-native and others link "
                        + "it), pgJDBC 42.2.0 or later; channel binding needs libpq 13.",
                "Before the migration: find the applications' client library versions and upgrade those older than libpq "
                        + "10 / pgJDBC 42.2.0; then set these roles' passwords again with password_encryption = "
                        + "'scram-sha-256' (\\password in psql, or ALTER ROLE ... PASSWORD) on the source or the target.");
    }
}
