"""The quality report rendered twice from its sections, through Jinja2 templates.

``templates/report.md.j2`` is for the terminal: narrow tables, long text cut.
``templates/report.html.j2`` is self-contained: inline CSS, no script, no network.
Everything in the report that comes from the data (resolution text, file names,
reasons) is untrusted: the HTML template is autoescaped, and the Markdown drops
control characters (a terminal would act on escape sequences).

The filters here only prepare values (cut a cell, compute a Markdown table's column
widths, make a link relative); the templates lay them out.
"""

from __future__ import annotations

import html
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from warehouse.report.quality import Items, Link, Para, Section, Table, _fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKDOWN_TEMPLATE = "report.md.j2"
HTML_TEMPLATE = "report.html.j2"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML_CELL_MAX = 4000
_MD_MARKS = {"pass": "[ok] ", "fail": "[FAIL] ", "warn": "[!] "}
_BADGES = {"pass": "ok", "fail": "fail", "warn": "note"}


# -- values as text ----------------------------------------------------------------------
def _plain(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _md_cell(value, width: int) -> str:
    text = _CONTROL.sub(" ", _plain(value).replace("\r\n", "\n").replace("\n", " / "))
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("|", "\\|")


def _md_text(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


@dataclass
class _MarkdownTable:
    """A Table's Markdown cells, cut and escaped, with the width of each column."""

    head: list[str]
    rows: list[list[str]]
    widths: list[int]
    numeric: set[int]
    more: int  # rows left out (they are in the HTML report)


def _md_table(table: Table) -> _MarkdownTable:
    rows = table.rows if table.md_max_rows is None else table.rows[: table.md_max_rows]
    cells = [[_md_cell(v, table.md_widths.get(i, table.md_width)) for i, v in enumerate(row)] for row in rows]
    head = [_md_cell(c, table.md_width) for c in table.columns]
    widths = [max([len(h), 3] + [len(r[i]) for r in cells]) for i, h in enumerate(head)]
    return _MarkdownTable(head, cells, widths, set(table.numeric), len(table.rows) - len(rows))


def _html_cell(value) -> str:
    text = _plain(value)
    if len(text) > _HTML_CELL_MAX:
        text = text[: _HTML_CELL_MAX - 1] + "…"
    return text


def _href(path: Path, base: Path | None) -> str:
    """The link to path from the report's folder (base), or a file: URI; not escaped yet."""
    path = Path(path)
    target = path
    if base is not None:
        try:
            target = Path(os.path.relpath(path.resolve(), base.resolve()))
        except ValueError:  # another drive
            target = path.resolve()
    if target.is_absolute():
        return target.as_uri()
    return "/".join(urllib.parse.quote(part) for part in target.parts)


def _html_finalize(value):
    """Every ``{{ }}`` of the HTML template: None as "-", floats rounded, lists joined, and
    escaped as html.escape does (``&#x27;``, ``&quot;``); what is Markup already passes."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(_plain(value), quote=True))


# -- environments ------------------------------------------------------------------------
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        finalize=_html_finalize if autoescape else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests.update(para=lambda b: isinstance(b, Para), table=lambda b: isinstance(b, Table),
                     items=lambda b: isinstance(b, Items), link=lambda b: isinstance(b, Link))
    env.filters.update(md_cell=_md_cell, md_text=_md_text, md_table=_md_table, html_cell=_html_cell)
    env.globals.update(md_marks=_MD_MARKS, badges=_BADGES)
    return env


_MARKDOWN = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def render_markdown(title: str, sections: list[Section]) -> str:
    text = _MARKDOWN.get_template(MARKDOWN_TEMPLATE).render(title=title, sections=sections)
    return text.rstrip() + "\n"


def render_html(title: str, sections: list[Section], base: Path | None) -> str:
    """base: the folder the report is written to, which links are relative to."""
    return _HTML.get_template(HTML_TEMPLATE).render(title=title, sections=sections,
                                                    href=lambda path: _href(path, base))
