"""The chart settings every page shares, and small Altair helpers; no Streamlit, so they are
tested on their own (tests/test_dashboard_charts.py).

Streamlit draws Altair charts with its own Vega theme, whose axes have ``labelOverlap:
true`` (Vega then hides every other label of a crowded axis, so a bar can lose its
name), ``labelFlush: true`` (the first and last labels of an axis are pushed inside
its range: the "0" of a value axis sits above its grid line, so a mark at 0 looks
below it, negative) and ``labelLimit: 100`` (longer names cut with an ellipsis).
:data:`CONFIG`, applied by :func:`configure` to every chart the pages draw
(``dashboards/ui.py``), overrides those: a chart's own config wins over the theme.
"""

from __future__ import annotations

import textwrap

import altair as alt

CONFIG = {
    # Every label centred on its tick: "0" on the zero grid line, not above it.
    "axis": {"labelFlush": False},
    # Categories (bars' names, years) are never hidden nor cut short; the charts make room for them
    # (bar_height). Numbers may still thin out on a crowded value axis, which is harmless.
    "axisDiscrete": {"labelOverlap": False, "labelLimit": 360},
}

BAR_STEP = 24  # pixels per bar (a 12 px label and room around it)
AXIS_ROOM = 60  # the value axis under the bars: labels and title

PARTIAL_OPACITY = 0.35
PARTIAL_LABEL = "partial"
PARTIAL_STROKE = "#555"


def configure(spec: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``spec`` with :data:`CONFIG` (its own settings, if any, kept over ours)."""
    mine = spec.to_dict(validate=False).get("config") or {}
    merged = {key: {**value, **mine.get(key, {})} for key, value in CONFIG.items()}
    merged.update({key: value for key, value in mine.items() if key not in merged})
    out = spec.copy(deep=False)
    out.config = alt.Config.from_dict(merged)
    return out


def bar_height(bars: int, step: int = BAR_STEP, axis: int = AXIS_ROOM) -> int:
    """The height of a horizontal bar chart of ``bars`` categories in which each has room
    for its label (Streamlit fits axes and title inside the height it is given)."""
    return max(1, bars) * step + axis


def hbar(data, category: str, value: str, *, value_title: str, category_title: str | None = None,
         color: str | None = None, sort: str | list | None = "-x", tooltip=None,
         label_limit: int | None = None) -> alt.Chart:
    """Horizontal bars, one per ``category``, with a value axis from zero and room for
    every category's name (see :func:`bar_height`)."""
    count = data[category.split(":")[0]].n_unique()
    mark = alt.Chart(data).mark_bar(**({"color": color} if color else {}))
    axis = alt.Axis(labelLimit=label_limit) if label_limit else alt.Axis()
    return mark.encode(
        y=alt.Y(category, title=category_title, sort=sort, axis=axis),
        x=alt.X(value, title=value_title, scale=alt.Scale(zero=True)),
        tooltip=tooltip or [category, value],
    ).properties(height=bar_height(count))


# ------------------------------------------------------------------------------ periods

PERIOD_TITLES = {"session": "GA session", "year": "Calendar year"}


def ordinal(n: int) -> str:
    """74 -> "74th", 71 -> "71st", 112 -> "112th"."""
    n = int(n)
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# A GA session opens in September of 1945 + its number and ends the next September:
# "74th (2019-20)", as session_label writes it.
SESSION_LABEL_EXPR = (
    "((datum.value % 100 >= 11 && datum.value % 100 <= 13) ? datum.value + 'th' : "
    "datum.value % 10 == 1 ? datum.value + 'st' : datum.value % 10 == 2 ? datum.value + 'nd' : "
    "datum.value % 10 == 3 ? datum.value + 'rd' : datum.value + 'th') + "
    "' (' + (1945 + datum.value) + '-' + substring(toString(1946 + datum.value), 2) + ')'"
)
SESSION_LABEL_ANGLE = -35  # "74th (2019-20)" slanted: six of them fit a third of the page


def session_label(session: int) -> str:
    """74 -> "74th (2019-20)", as the session axis writes it."""
    return f"{ordinal(session)} ({1945 + int(session)}-{str(1946 + int(session))[2:]})"


PARTIAL_SUFFIX = f" ({PARTIAL_LABEL})"


def period_label_expr(period_type: str, partial=()) -> str | None:
    """The Vega expression labelling a period on the time axis ("74th (2019-20)" for a
    session), with " (partial)" after each period in ``partial``; None when the value
    itself will do (years, none partial)."""
    label = f"({SESSION_LABEL_EXPR})" if period_type == "session" else "('' + datum.value)"
    marked = sorted({int(p) for p in partial})
    if not marked:
        return None if period_type == "year" else SESSION_LABEL_EXPR
    listed = ", ".join(str(p) for p in marked)
    return f"indexof([{listed}], datum.value) >= 0 ? {label} + '{PARTIAL_SUFFIX}' : {label}"


def period_x(period_type: str, field: str = "period", orient: str | None = None, partial=()) -> alt.X:
    """The time axis of a trend by ``period_type`` ("session" or "year"): ordinal, titled
    "GA session" or "Calendar year"; a session is labelled by number and years, slanted
    ("74th (2019-20)"). The periods in ``partial`` are labelled so ("2025 (partial)",
    slanted): for charts whose marks cannot carry the word themselves (heatmaps)."""
    axis = {"labelAngle": 0, **({"orient": orient} if orient else {})}
    expr = period_label_expr(period_type, partial)
    if expr:
        axis.update(labelExpr=expr, labelAngle=SESSION_LABEL_ANGLE,
                    labelAlign="left" if orient == "top" else "right")
    return alt.X(f"{field}:O", title=PERIOD_TITLES[period_type], axis=alt.Axis(**axis))


def period_tooltips(period_type: str) -> list[alt.Tooltip]:
    """What a tooltip says of a point's period: its name and coverage (and why it is not
    whole, when it is not: is_partial or not complete)."""
    return [alt.Tooltip("period_label:N", title=PERIOD_TITLES[period_type]),
            alt.Tooltip("is_partial:N", title="Partial"),
            alt.Tooltip("coverage:Q", title="Coverage", format=".1%"),
            alt.Tooltip("partial_reason:N", title="Note")]


def partial_encoding(field: str = "is_partial", outline: bool = False) -> dict:
    """Channels that draw the marks of a partial period (``field`` true: a period only
    partly loaded, in time) lighter and dashed (with ``outline``, a dashed grey border: for
    bars and areas); other periods (false or missing) as usual."""
    partial = f"datum['{field}'] === true"
    channels = {
        "opacity": alt.condition(partial, alt.value(PARTIAL_OPACITY), alt.value(1.0)),
        "strokeDash": alt.condition(partial, alt.value([3, 2]), alt.value([1, 0])),
    }
    if outline:
        channels["stroke"] = alt.condition(partial, alt.value(PARTIAL_STROKE), alt.value(None))
    return channels


def partial_labels(base: alt.Chart, field: str = "is_partial", text: str = PARTIAL_LABEL,
                   dy: int = -10, per: str | None = None) -> alt.Chart:
    """A "partial" text over each mark of a partial period (``field`` true), to be layered
    over the marks drawn from ``base`` (same encodings). With ``per`` (the period field of
    the x axis), one label per partial period instead, along the top of the plot: for
    charts with several series (lines of several themes) or with text in their marks."""
    marked = base.transform_filter(f"datum['{field}'] === true")
    style = {"fontSize": 10, "fontStyle": "italic", "color": "#666"}
    if per is None:
        return marked.mark_text(dy=dy, **style).encode(text=alt.value(text))
    return (marked.transform_aggregate(marks="count()", groupby=[per])
            .mark_text(baseline="top", dy=2, **style)
            .encode(text=alt.value(text), y=alt.value(0), color=alt.value(style["color"]),
                    tooltip=alt.value(None), opacity=alt.value(1)))


def with_partial(base: alt.Chart, mark: str = "bar", field: str = "is_partial", per: str | None = None,
                 **mark_args) -> alt.LayerChart:
    """``base`` drawn as ``mark`` ("bar", "point", "rect"…) with its partial periods
    (``field`` true, e.g. a year only partly loaded) lighter, dashed and labelled "partial"
    (over each mark, or with ``per`` once per period: :func:`partial_labels`); ``base``
    needs a boolean ``field`` column."""
    marks = getattr(base, f"mark_{mark}")(**mark_args).encode(**partial_encoding(field, outline=mark in ("bar", "area", "rect")))
    return alt.layer(marks, partial_labels(base, field, per=per))


HEAT_PARTIAL_DRAWN = ("Their columns are labelled \"(partial)\" and their cells outlined with dashes: "
                      "their counts hold only part of the year, so compare them with whole periods with care.")


def partial_outline(field: str = "is_partial") -> dict:
    """Channels outlining the cells of a heatmap's partial periods (``field`` true) with a
    grey dashed border (their opacity is left to the chart, e.g. for a selection)."""
    partial = f"datum['{field}'] === true"
    return {"stroke": alt.condition(partial, alt.value(PARTIAL_STROKE), alt.value(None)),
            "strokeDash": alt.condition(partial, alt.value([3, 2]), alt.value([1, 0])),
            "strokeWidth": alt.condition(partial, alt.value(1.2), alt.value(0))}


def partial_periods(frame, field: str = "is_partial") -> list[int]:
    """The periods of ``frame`` (a period column and ``field``) that are partial, in order."""
    if frame is None or frame.is_empty() or field not in frame.columns:
        return []
    return sorted(frame.filter(frame[field].fill_null(False))["period"].unique().to_list())


def partial_shape(field: str = "is_partial") -> dict:
    """The shape of a point: a diamond for a partial period, a circle otherwise."""
    return alt.condition(f"datum['{field}'] === true", alt.value("diamond"), alt.value("circle"))


def partial_lines(base: alt.Chart, field: str = "is_partial", **mark_args) -> alt.LayerChart:
    """Lines through the periods of ``base`` whose stretches to and from a partial period
    (``field`` true) are faint and dashed: a faint dashed line through every period under
    a solid one through the whole periods only (a line is one mark: its dash cannot
    change from one point to the next)."""
    faint = base.mark_line(opacity=PARTIAL_OPACITY + 0.15, strokeDash=[4, 3], **mark_args)
    whole = base.transform_filter(f"datum['{field}'] !== true").mark_line(**mark_args)
    return alt.layer(faint, whole)


PARTIAL_DRAWN = "Their points are diamonds on faint dashed lines, labelled \"partial\": compare shares, not counts, with them."


def partial_caption(frame, field: str = "is_partial", drawn: str = PARTIAL_DRAWN) -> str | None:
    """The words naming each partial period of ``frame`` (a trend with period_label,
    ``field`` and partial_reason columns) and why it is partial, then ``drawn`` (how the
    charts mark them), or None when none is."""
    if frame is None or frame.is_empty() or field not in frame.columns:
        return None
    rows = (frame.filter(frame[field].fill_null(False)).unique("period", keep="first")
            .sort("period").select("period_label", "partial_reason").rows())
    if not rows:
        return None
    return "Partial: " + "; ".join(f"**{label}** ({reason or 'only partly loaded'})" for label, reason in rows) + \
        ". " + drawn


def coverage_caption(frame) -> str | None:
    """The periods of ``frame`` that are whole in time but lack single resolutions
    (is_complete false, is_partial false) with their coverage, or None."""
    if frame is None or frame.is_empty() or "is_complete" not in frame.columns:
        return None
    rows = (frame.filter(~frame["is_complete"].fill_null(True) & ~frame["is_partial"].fill_null(False))
            .unique("period", keep="first").sort("period").select("period_label", "coverage").rows())
    if not rows:
        return None
    parts = [f"{label} ({'?' if cov is None else f'{cov:.1%}'})" for label, cov in rows]
    return ("Whole in time but not every resolution loaded (the tooltips say which): " + ", ".join(parts) + ".")


# ------------------------------------------------------------------------ long names

WRAP_CHARS = 56  # a long category name (an entity, an instrument) wraps at about this width (~340 px)
WRAP_LINES = 3  # and is cut, with "…", only past this many lines
LINE_HEIGHT = 13  # pixels per line of an 11-12 px axis label
LINES_EXPR = "split(datum.label, '\\n')"  # a label's lines, for an axis' labelExpr


def wrap(text: str, width: int = WRAP_CHARS, lines: int = WRAP_LINES) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces, joined by
    newlines (for :data:`LINES_EXPR`), at most ``lines`` of them (the last ending with "…"
    when cut)."""
    return "\n".join(textwrap.wrap(str(text), width=width, max_lines=lines, placeholder=" …",
                                   break_long_words=False, break_on_hyphens=False) or [str(text)])


def wrapped_axis(**axis) -> alt.Axis:
    """An axis whose labels are wrapped names (:func:`wrap`), drawn line under line,
    each line within the shared label limit (:data:`CONFIG`)."""
    # Vega writes a label's lines down from its tick: raised by half the extra lines, they are
    # centred on their row.
    offset = f"-(length(split(datum.label, '\\n')) - 1) * {LINE_HEIGHT / 2}"
    return alt.Axis(labelExpr=LINES_EXPR, labelOffset={"expr": offset}, labelLineHeight=LINE_HEIGHT, **axis)


def row_step(labels, minimum: int = BAR_STEP) -> int:
    """Pixels per row of a chart whose row labels are ``labels`` (wrapped): room for the
    longest one's lines."""
    most = max((str(label).count("\n") + 1 for label in labels), default=1)
    return max(minimum, most * LINE_HEIGHT + 8)
