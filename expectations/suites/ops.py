"""The ops suite: how the snapshot was built."""

from __future__ import annotations

from warehouse.pipeline import CHECKS, SESSIONS_BUILT

from ..spec import SuiteBuilder, When, chars
from .patterns import SHA256


# ------------------------------------------------------------------------------------ ops

def _ops(b: SuiteBuilder) -> None:
    c = b.table("ops.check_result")
    c.between("violations", 0, 0, "A snapshot is published only when every blocking check found no violation.",
              When("check_name", "in", [*CHECKS, SESSIONS_BUILT]), short="violations.zero_for_blocking_checks")
    c.counts("violations")

    i = b.table("ops.build_info")
    i.rows_between(1, 1, "ops.build_info describes the one build that wrote the snapshot.")
    i.matches("sessions", r"^\d+(,\d+)*$", "sessions is the sessions landed, comma-separated (\"74,75\").")
    i.matches("code_version", r"^[0-9a-f]+$", "code_version is a hash.")

    r = b.table("ops.rejected")
    r.derive(chars("reason"), "length(trim(reason))")
    r.between(chars("reason"), 1, None, "A rejection says why: reason is never blank.", short="reason.not_blank")
    r.matches("sha256", SHA256, "sha256, when the bytes could be read, is a SHA-256 digest.")

    h = b.table("ops.held_back")
    h.derive(chars("reason"), "length(trim(reason))")
    h.between(chars("reason"), 1, None, "A resolution held back says why: reason is never blank.",
              short="reason.not_blank")
    h.between("failing_rows", 1, None, "A resolution is held back for rows of its own that broke the rule.",
              short="failing_rows.positive")

    b.rule("build_info_names_the_sessions")
    b.rule("held_back_not_published")
