"""The dashboard's shared chart settings and helpers (dashboards/charts.py), as Vega-Lite
specs: no browser (tests/test_dashboard_e2e.py checks the drawn charts)."""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboards import charts


def test_configure_overrides_streamlits_axis_theme_and_keeps_the_charts_own():
    base = alt.Chart(pl.DataFrame({"x": ["a"], "y": [0]})).mark_bar().encode(x="x:N", y="y:Q")
    config = charts.configure(base).to_dict()["config"]
    assert config["axis"]["labelFlush"] is False  # "0" centred on its grid line
    assert config["axisDiscrete"]["labelOverlap"] is False  # no category label hidden
    assert config["axisDiscrete"]["labelLimit"] >= 300
    own = charts.configure(base.configure_axis(labelFontSize=20)).to_dict()["config"]
    assert own["axis"] == {"labelFlush": False, "labelFontSize": 20}
    assert "config" not in base.to_dict() or "axisDiscrete" not in base.to_dict()["config"]  # a copy


def test_hbar_has_room_for_every_bar_and_starts_at_zero():
    data = pl.DataFrame({"verb": [f"v{i}" for i in range(8)], "paragraphs": [8, 7, 6, 5, 4, 3, 1, 0]})
    spec = charts.hbar(data, "verb:N", "paragraphs:Q", value_title="Paragraphs").to_dict()
    assert spec["height"] == 8 * charts.BAR_STEP + charts.AXIS_ROOM
    assert spec["encoding"]["x"]["scale"]["zero"] is True
    assert spec["encoding"]["x"]["title"] == "Paragraphs"
    assert spec["encoding"]["y"]["field"] == "verb" and spec["encoding"]["y"]["sort"] == "-x"
    assert charts.bar_height(0) == charts.BAR_STEP + charts.AXIS_ROOM


def test_with_partial_marks_incomplete_periods_lighter_dashed_and_labelled():
    data = pl.DataFrame({"session": [77, 78, 79], "resolutions": [300, 310, 120],
                         "is_complete": [True, True, False]})
    base = alt.Chart(data).encode(x="session:O", y="resolutions:Q")
    spec = charts.with_partial(base, "bar").to_dict()
    marks, labels = spec["layer"]
    test = "datum['is_complete'] === false"
    enc = marks["encoding"]
    assert enc["opacity"]["condition"] == {"test": test, "value": charts.PARTIAL_OPACITY}
    assert enc["opacity"]["value"] == 1.0
    assert enc["strokeDash"]["condition"]["value"] == [3, 2]
    assert enc["stroke"]["condition"]["value"] == charts.PARTIAL_STROKE  # bars get a dashed outline
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"] == {"value": "partial"}
    assert labels["transform"] == [{"filter": test}]
    # Points and lines: lighter and dashed, no outline (it would recolour a line).
    point = charts.with_partial(base, "point", filled=True).to_dict()["layer"][0]
    assert point["mark"] == {"type": "point", "filled": True} and "stroke" not in point["encoding"]
    # Another column name.
    other = charts.partial_encoding("complete")
    assert other["opacity"]["condition"]["test"] == "datum['complete'] === false"
