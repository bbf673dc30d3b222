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


def test_with_partial_marks_partial_periods_lighter_dashed_and_labelled():
    # A frame with a partial session (the current one, say): in the bundled data no session is.
    data = pl.DataFrame({"period": [77, 78, 79], "resolutions": [300, 310, 120],
                         "is_partial": [False, False, True]})
    base = alt.Chart(data).encode(x="period:O", y="resolutions:Q")
    spec = charts.with_partial(base, "bar").to_dict()
    marks, labels = spec["layer"]
    test = "datum['is_partial'] === true"
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
    other = charts.partial_encoding("partial_in_time")
    assert other["opacity"]["condition"]["test"] == "datum['partial_in_time'] === true"


def test_partial_labels_once_per_partial_period_and_partial_lines():
    """Several series (themes) per period: one "partial" per period, along the top; the lines
    faint and dashed through every period under solid ones through the whole periods."""
    data = pl.DataFrame({"period": [78, 79, 80] * 2, "theme": ["a"] * 3 + ["b"] * 3,
                         "mentions": [5, 7, 2, 1, 0, 1], "is_partial": [False, False, True] * 2})
    base = alt.Chart(data).encode(x=charts.period_x("session"), y="mentions:Q", color="theme:N")
    labels = charts.partial_labels(base, per="period").to_dict()
    assert labels["mark"]["type"] == "text"
    assert labels["encoding"]["text"] == {"value": charts.PARTIAL_LABEL}
    assert labels["encoding"]["y"] == {"value": 0}  # at the top of the plot
    filter_, aggregate = labels["transform"]
    assert filter_ == {"filter": "datum['is_partial'] === true"}
    assert aggregate["groupby"] == ["period"]  # one label per period, not per theme
    faint, whole = charts.partial_lines(base, strokeWidth=2).to_dict()["layer"]
    assert faint["mark"]["strokeDash"] and faint["mark"]["opacity"] < 1 and "transform" not in faint
    assert whole["transform"] == [{"filter": "datum['is_partial'] !== true"}]
    assert whole["mark"] == {"type": "line", "strokeWidth": 2}
    # The session axis: titled, every session named with its years.
    x = base.to_dict(validate=False)["encoding"]["x"]
    assert x["title"] == "GA session" and x["type"] == "ordinal"
    assert "1945 + datum.value" in x["axis"]["labelExpr"]
    assert charts.session_label(74) == "74th (2019-20)" and charts.session_label(81) == "81st (2026-27)"
    assert charts.ordinal(112) == "112th" and charts.ordinal(72) == "72nd" and charts.ordinal(73) == "73rd"
    assert charts.period_x("year").to_dict()["title"] == "Calendar year"


def test_partial_caption_names_each_partial_period_and_its_reason():
    trend = pl.DataFrame({
        "period": [2019, 2019, 2020, 2024, 2025],
        "period_label": ["2019", "2019", "2020", "2024", "2025"],
        "is_partial": [True, True, False, False, True],
        "is_complete": [False, False, True, False, False],
        "coverage": [None, None, 1.0, 0.997, None],
        "partial_reason": ["session 73 is not loaded", "session 73 is not loaded", None,
                           "A/RES/78/327 is not loaded", "session 80 is not loaded"],
    })
    text = charts.partial_caption(trend)
    assert text.count("**2019**") == 1 and "session 73 is not loaded" in text
    assert "**2025**" in text and "session 80 is not loaded" in text
    assert "2020" not in text and "2024" not in text
    assert charts.coverage_caption(trend) == (
        "Whole in time but not every resolution loaded (the tooltips say which): 2024 (99.7%).")
    whole = trend.with_columns(pl.lit(False).alias("is_partial"), pl.lit(True).alias("is_complete"))
    assert charts.partial_caption(whole) is None and charts.coverage_caption(whole) is None


def test_period_axis_labels_partial_periods_in_words():
    """A heatmap's columns: the partial periods' labels say so ("2025 (partial)"), slanted."""
    year = charts.period_x("year", orient="top", partial=[2025, 2019, 2019]).to_dict()
    expr = year["axis"]["labelExpr"]
    assert expr.startswith("indexof([2019, 2025], datum.value) >= 0") and "' (partial)'" in expr
    assert year["axis"]["orient"] == "top" and year["axis"]["labelAlign"] == "left"
    assert year["axis"]["labelAngle"] == charts.SESSION_LABEL_ANGLE
    plain = charts.period_x("year", orient="top").to_dict()["axis"]
    assert "labelExpr" not in plain and plain["labelAngle"] == 0
    session = charts.period_x("session", orient="top", partial=[80]).to_dict()["axis"]
    assert "1945 + datum.value" in session["labelExpr"] and "indexof([80]" in session["labelExpr"]
    assert charts.period_label_expr("session") == charts.SESSION_LABEL_EXPR
    frame = pl.DataFrame({"period": [2019, 2019, 2020, 2025], "is_partial": [True, True, False, True]})
    assert charts.partial_periods(frame) == [2019, 2025]
    assert charts.partial_periods(frame.with_columns(pl.lit(False).alias("is_partial"))) == []
    outline = charts.partial_outline()
    assert outline["stroke"]["condition"]["test"] == "datum['is_partial'] === true"
    assert "opacity" not in outline  # left to the heatmap's selection
    text = charts.partial_caption(frame.with_columns(pl.col("period").cast(pl.String).alias("period_label"),
                                                     pl.lit(None, pl.String).alias("partial_reason")),
                                  drawn=charts.HEAT_PARTIAL_DRAWN)
    assert text.startswith("Partial: **2019**") and text.endswith(charts.HEAT_PARTIAL_DRAWN)


def test_long_names_wrap_instead_of_being_cut():
    long = ("Special Committee on the Situation with regard to the Implementation of the Declaration on "
            "the Granting of Independence to Colonial Countries and Peoples")
    wrapped = charts.wrap(long)
    lines = wrapped.split("\n")
    assert len(lines) <= charts.WRAP_LINES and all(len(line) <= charts.WRAP_CHARS for line in lines)
    assert " ".join(lines) == long  # every word kept: three lines are enough for the bundled names
    assert charts.wrap("Secretary-General") == "Secretary-General"
    cut = charts.wrap("word " * 100)
    assert cut.count("\n") == charts.WRAP_LINES - 1 and cut.endswith("…")
    assert charts.wrapped_axis().to_dict()["labelExpr"] == "split(datum.label, '\\n')"
    assert charts.row_step(["a", "b"]) == charts.BAR_STEP
    assert charts.row_step([wrapped]) == len(lines) * charts.LINE_HEIGHT + 8
    # The shared limit is per line, wider than a wrapped line of 12 px text.
    assert charts.CONFIG["axisDiscrete"]["labelLimit"] >= charts.WRAP_CHARS * 6
