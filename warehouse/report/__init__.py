"""The quality report written with every run, and the completeness tables (issue 6).

``completeness(con)`` reconciles each session against DGACM's metadata (a table the
publisher writes into the snapshot, and a section of the report); ``write_report(...)``
writes ``<reports>/<UTC timestamp>/quality.md`` (for the terminal: narrow tables, long
text cut) and ``quality.html`` (self-contained: inline CSS, no script, no network),
points ``<reports>/latest`` at it and keeps the last ``keep`` reports. Everything in the
report that comes from the data (resolution text, file names, reasons) is untrusted:
the HTML escapes all of it, the Markdown drops control characters (a terminal would act
on escape sequences).

Both read the *working* warehouse (raw, staging, core, marts), so they run inside the
build, on the connection the build holds, before it is closed.

By concern:

- ``quality``: the data -- completeness, and the report's sections (a document model of
  paragraphs, tables, lists and links) read from the warehouse and the run's results;
- ``render``: the sections as Markdown and HTML, through ``templates/report.md.j2`` and
  ``templates/report.html.j2`` (Jinja2, the HTML autoescaped);
- ``folders``: where reports live -- writing a run's folder, ``latest``, pruning.
"""

from warehouse.report.folders import (KEEP, LATEST, LATEST_POINTER, REPORT_HTML, REPORT_MD, ReportPaths,
                                      latest_report, write_report)
from warehouse.report.quality import CATEGORIES, Items, Link, Para, Section, Table, completeness, gather
from warehouse.report.render import render_html, render_markdown

__all__ = [
    "CATEGORIES", "KEEP", "LATEST", "LATEST_POINTER", "REPORT_HTML", "REPORT_MD", "Items", "Link", "Para",
    "ReportPaths", "Section", "Table", "completeness", "gather", "latest_report", "render_html",
    "render_markdown", "write_report",
]
