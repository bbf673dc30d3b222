"""A parsed resolution as plain data (for `unga parse` and anyone scripting the parsers)."""

from __future__ import annotations

from pathlib import Path

from transforms.akn import parse_akn
from transforms.model import ParsedResolution, ParseError
from transforms.pdf import parse_pdf
from transforms.textparse import parse_text


def parse_file(data: bytes, name: str) -> list[ParsedResolution]:
    """Parse XML, a PDF or PDF-extracted text, told apart by content first and suffix second."""
    head = data.lstrip()[:200]
    suffix = Path(name).suffix.lower()
    if head.startswith(b"<") or (suffix in (".xml", ".akn") and not head.startswith((b"---", b"#"))):
        return parse_akn(data, name)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return [parse_pdf(data, name)]
    if suffix in (".zip", ".docx", ".json"):
        raise ParseError(f"{name}: a {suffix} file is not a single resolution (give its XML, its PDF or its text)")
    return [parse_text(data, name)]


def resolution_to_dict(r: ParsedResolution) -> dict:
    return {
        "symbol": r.symbol,
        "session": r.session,
        "session_label": r.session_label,
        "adopted_on": r.adopted_on.isoformat() if r.adopted_on else None,
        "title": r.title,
        "agenda_items": r.agenda_items,
        "agenda_item_names": r.agenda_item_names,
        "committee": r.committee,
        "originating_document": r.originating_document,
        "plenary_meeting": r.plenary_meeting,
        "source_format": r.source_format,
        "paragraphs": [
            {
                "kind": p.kind,
                "ordinal": p.ordinal,
                "number": p.number,
                "lead_phrase": p.lead_phrase,
                "text": p.text,
                "footnote_markers": p.footnote_markers,
            }
            for p in r.paragraphs
        ],
        "footnotes": [
            {
                "marker": f.marker,
                "text": f.text,
                "paragraph": {"kind": f.paragraph_kind, "ordinal": f.paragraph_ordinal},
                "location": f.location,
            }
            for f in r.footnotes
        ],
        "citations": [
            {"paragraph": {"kind": c.paragraph_kind, "ordinal": c.paragraph_ordinal}, "target": c.target_symbol,
             "in_footnote": c.in_footnote}
            for c in r.citations
        ],
    }
