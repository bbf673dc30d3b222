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


def partial_encoding(field: str = "is_complete", outline: bool = False) -> dict:
    """Channels that draw the marks of an incomplete period (``field`` false) lighter and
    dashed (with ``outline``, a dashed grey border: for bars and areas); complete ones
    (true or missing) as usual."""
    incomplete = f"datum['{field}'] === false"
    channels = {
        "opacity": alt.condition(incomplete, alt.value(PARTIAL_OPACITY), alt.value(1.0)),
        "strokeDash": alt.condition(incomplete, alt.value([3, 2]), alt.value([1, 0])),
    }
    if outline:
        channels["stroke"] = alt.condition(incomplete, alt.value(PARTIAL_STROKE), alt.value(None))
    return channels


def partial_labels(base: alt.Chart, field: str = "is_complete", text: str = PARTIAL_LABEL,
                   dy: int = -10) -> alt.Chart:
    """A "partial" text over each mark of an incomplete period (``field`` false), to be
    layered over the marks drawn from ``base`` (same encodings)."""
    return (base.transform_filter(f"datum['{field}'] === false")
            .mark_text(dy=dy, fontSize=10, fontStyle="italic", color="#666")
            .encode(text=alt.value(text)))


def with_partial(base: alt.Chart, mark: str = "bar", field: str = "is_complete", **mark_args) -> alt.LayerChart:
    """``base`` drawn as ``mark`` ("bar", "point", "line"…) with its incomplete periods
    lighter, dashed and labelled "partial" (e.g. the current session, or a year only
    partly loaded): ``base`` needs a boolean ``field`` column."""
    marks = getattr(base, f"mark_{mark}")(**mark_args).encode(**partial_encoding(field, outline=mark in ("bar", "area", "rect")))
    return alt.layer(marks, partial_labels(base, field))
