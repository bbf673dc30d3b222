"""The raw layer: its specs in the codebook's terms (it is not public) and its suite."""

from __future__ import annotations

from ..spec import SuiteBuilder, chars
from .patterns import DOCUMENT_ID, SHA256


# ---------------------------------------------------------------------------- raw specs
#
# The raw layer is not public, so the codebook does not document it; its shape is the DDL
# of warehouse/sql/ddl/010_raw.sql, written here in the codebook's terms (a column is never
# null unless it has a `nulls` note). Codes reuse the codebook's lists for ops.rejected
# (a copy of raw.rejected) so the two cannot drift.


def raw_specs(codebook: dict) -> dict[str, dict]:
    rejected = codebook["tables"].get("ops.rejected", {}).get("columns", {})
    file_formats = list(rejected.get("format", {}).get("values") or
                        ["akn-zip", "akn-xml", "text", "dgacm-jsonl", "unknown"])
    stages = list(rejected.get("stage", {}).get("values") or ["unpack", "parse"])
    return {
        # One row per file and session its content went to (scan_landing places each document by its
        # content: the session-76 zip also lands in session 77, for ES-11/4), and one with session null
        # for what of it went nowhere; unique on (source_path, session) below.
        "raw.source_file": {"columns": {
            "source_path": {"type": "VARCHAR"},
            "session": {"type": "INTEGER", "nulls": "no session could be told"},
            "format": {"type": "VARCHAR", "values": file_formats},
            "size_bytes": {"type": "BIGINT"},
            "sha256": {"type": "VARCHAR"},
            "recorded_at": {"type": "TIMESTAMP"},
        }},
        "raw.document": {"key": ["document_id"], "columns": {
            "document_id": {"type": "VARCHAR"},
            "session": {"type": "INTEGER"},
            "source_path": {"type": "VARCHAR"},
            "member": {"type": "VARCHAR", "nulls": "the document is the file itself"},
            # Archives are unpacked and unknown formats rejected: a kept document is one of these.
            "format": {"type": "VARCHAR", "values": [f for f in file_formats if f not in ("akn-zip", "unknown")]},
            "size_bytes": {"type": "BIGINT"},
            "sha256": {"type": "VARCHAR"},
            "content": {"type": "BLOB"},
            "recorded_at": {"type": "TIMESTAMP"},
        }},
        "raw.rejected": {"columns": {
            "session": {"type": "INTEGER", "nulls": "no session could be told"},
            "source_path": {"type": "VARCHAR"},
            "member": {"type": "VARCHAR", "nulls": "the file itself was rejected"},
            "sha256": {"type": "VARCHAR", "nulls": "the bytes could not be read"},
            "format": {"type": "VARCHAR", "nulls": "not determined"},
            "stage": {"type": "VARCHAR", "values": stages},
            "reason": {"type": "VARCHAR"},
            "rejected_at": {"type": "TIMESTAMP"},
        }},
    }


# ---------------------------------------------------------------------------------- raw

def _raw(b: SuiteBuilder) -> None:
    f = b.table("raw.source_file")
    f.matches("sha256", SHA256, "sha256 is a SHA-256 digest: 64 lower-case hex characters.")
    f.counts("size_bytes", why="size_bytes is a file size: never negative (an empty file is recorded, then rejected).")
    f.between("session", 1, b.today.year - 1945, "A session number is between 1 and the session now open.")
    f.unique(["source_path", "session"], "A file is recorded once per session its documents were placed in "
             "(an archive or a metadata extract can span sessions), and once with no session for what of it "
             "was placed nowhere.")

    d = b.table("raw.document")
    d.matches("sha256", SHA256, "sha256 is a SHA-256 digest: 64 lower-case hex characters.")
    d.matches("document_id", DOCUMENT_ID, "document_id is 32 hex characters (a hash of path, member and bytes), "
              "the form core.dim_resolution.document_id carries.")
    d.between("size_bytes", 1, None, "A kept document has bytes: an empty one cannot be parsed and is rejected.",
              short="size_bytes.positive")
    d.between("session", 1, b.today.year - 1945, "A session number is between 1 and the session now open.")
    d.unique(["session", "source_path", "member"], "A file, or an archive member, is kept once in a session "
             "(a metadata extract whose lines span sessions is kept whole in each of them).")

    r = b.table("raw.rejected")
    r.derive(chars("reason"), "length(trim(reason))")
    r.between(chars("reason"), 1, None, "A rejection says why, in words: reason is never blank.",
              short="reason.not_blank")
    r.matches("sha256", SHA256, "sha256, when the bytes could be read, is a SHA-256 digest.")

    b.rule("raw_document_source_file_exists")
    b.rule("raw_loose_document_is_its_file")
    b.rule("raw_document_bytes_intact")
    b.rule("raw_rejected_source_file_exists")
