"""The UNGA warehouse dashboard: `make dashboard`, or
``streamlit run dashboards/app.py`` with ``UNGA_DATA_DIR`` pointing at the data dir.

It reads only the published snapshot, read-only, one short connection per query (see
``dashboards/queries.py``), so it never blocks a build nor sees a half-finished one,
and a browser refresh after a publish shows the new snapshot.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboards/app.py` puts dashboards/ on sys.path, not the repository.
_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402

from dashboards import ui  # noqa: E402
from dashboards.views import citations, environment, lineage, mandates, search, status, themes  # noqa: E402
from warehouse.search import SearchIndexMissing  # noqa: E402

# No page_icon, and no icons on the pages: Streamlit makes the current page's icon the
# favicon and fetches a Material icon for it from fonts.gstatic.com; the app makes no
# request outside the machine.
st.set_page_config(page_title="UNGA resolutions warehouse", layout="wide")

PAGES = [
    st.Page(environment.page, title="Environmental crime", url_path="environmental-crime"),
    st.Page(themes.page, title="Themes", url_path="themes"),
    st.Page(search.page, title="Search", url_path="search"),
    st.Page(lineage.page, title="Series lineage", url_path="lineage"),
    st.Page(mandates.page, title="Mandates", url_path="mandates"),
    st.Page(citations.page, title="Citations", url_path="citations"),
    st.Page(status.page, title="Status", url_path="status"),
]


def home() -> None:
    """The app's root address opens the first page under its own address."""
    st.switch_page(PAGES[0], query_params=st.query_params.to_dict())


# Streamlit serves the default page at "/" only: had a listed page been the default, its
# own address (/environmental-crime) would say "Page not found". So the default is this
# unlisted page, and every listed page opens by its address.
HOME = st.Page(home, title="UNGA resolutions warehouse", url_path="home", default=True, visibility="hidden")


def sidebar() -> None:
    with st.sidebar:
        snap = ui.snapshot(required=False)
        if snap is None:
            st.caption("No published snapshot yet.")
        else:
            try:
                info = ui.load("build_info")
            except duckdb.Error:
                info = None
            if info is not None and info.height:
                row = info.row(0, named=True)
                published = row.get("published_at")
                st.caption(f"Snapshot published {published:%Y-%m-%d %H:%M} UTC" if published else "Snapshot")
                st.caption(f"Sessions {row.get('sessions') or '-'}")
        st.caption("Source: United Nations (General Assembly resolutions, AKN4UN XML published by DGACM).")


def main() -> None:
    ui.style()
    ui.reset_timings()
    page = st.navigation([HOME, *PAGES])
    sidebar()
    try:
        page.run()
    except SearchIndexMissing as exc:
        st.warning(f"{exc}.")
    except duckdb.CatalogException as exc:
        # A snapshot published before a table existed (or by an older build).
        st.warning("The published snapshot lacks a table this page needs; it was probably written by an "
                   f"older build. Rebuild it with `make run` (or `unga build`).\n\n`{exc}`",
                   icon=":material/warning:")


main()
