"""Run the registry's models: what is stale, and rebuilding it (warehouse/registry.py).

One definition of "what changed" serves every way a build runs (the Dagster assets, the
in-process build, ``unga build --no-dagster``, the landing sensor's "nothing to do"): a
model's rows are stale when the version recorded in ``raw.model_state`` differs from
the version :meth:`Registry.expected` computes now from the model's code and the versions
of what it depends on. The same code versions are the Dagster assets' ``code_version``,
so Dagster's UI shows as changed exactly the assets a build will rebuild.

The versions live in the warehouse, beside the rows they describe, not only in Dagster's
event log: the warehouse is also built without Dagster, and a rebuilt Dagster instance
must not rebuild an unchanged warehouse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from warehouse import db
from warehouse.registry import CALENDAR, Model, Registry, registry

# A source a model may depend on, per session: its version comes from these.
SourceVersion = Callable[[str, "int | None"], str]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class LayerResult:
    """What one layer of a session (or the marts over all sessions, session 0) did."""
    session: int
    layer: str
    skipped: bool
    counts: dict[str, int] = field(default_factory=dict)


# -- the layers of a session (raw.load_state): raw and staging by their fingerprints, and a
# marker per step of the models --------------------------------------------------------------
def layer_state(con, session: int, layer: str) -> str | None:
    row = con.execute(
        "SELECT fingerprint FROM raw.load_state WHERE session = ? AND layer = ?", [session, layer]
    ).fetchone()
    return row[0] if row else None


def set_layer_state(con, session: int, layer: str, fingerprint: str) -> None:
    con.execute("DELETE FROM raw.load_state WHERE session = ? AND layer = ?", [session, layer])
    con.execute("INSERT INTO raw.load_state VALUES (?, ?, ?, ?)", [session, layer, fingerprint, now()])


def invalidate_after(con, session: int, layer: str) -> None:
    """A layer of a session rebuilt: every later layer of it, and the marts over all
    sessions, are built again (their recorded versions are dropped). The tables rewritten
    whole by every session's step (core.dim_theme ...) keep theirs: they follow their own
    code, and dropping them would rebuild every other session's enrich step."""
    order = ["raw", "staging", "core", "enrich", "marts"]
    for later in order[order.index(layer) + 1:]:
        con.execute("DELETE FROM raw.load_state WHERE session = ? AND layer = ?", [session, later])
    if layer in ("raw", "staging"):
        over_all = [m.name for m in registry().step("global")]
        con.execute("DELETE FROM raw.model_state WHERE session = ? OR (session IS NULL AND model IN "
                    "(SELECT unnest(?::VARCHAR[])))", [session, over_all])



def _hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def recorded(con, models: Iterable[str] | None = None) -> dict[tuple[str, int | None], str]:
    """The versions the warehouse's rows were built at: (model, session or None) -> version."""
    rows = con.execute("SELECT model, session, version FROM raw.model_state").fetchall()
    wanted = set(models) if models is not None else None
    return {(m, s): v for m, s, v in rows if wanted is None or m in wanted}


def record(con, model: Model, session: int | None, version: str) -> None:
    session = session if model.partitioned else None
    con.execute("DELETE FROM raw.model_state WHERE model = ? AND session IS NOT DISTINCT FROM ?",
                [model.name, session])
    con.execute("INSERT INTO raw.model_state VALUES (?, ?, ?, ?)", [session, model.name, version, now()])


def forget_downstream(con, names: Iterable[str], session: int | None, reg: Registry | None = None) -> None:
    """Drop the recorded versions of what depends on ``names`` (in ``session``, and the models
    over all sessions): rebuilt inputs rebuild what reads them, even at an unchanged version
    (a forced rebuild, a held-back resolution released)."""
    reg = reg or registry()
    below = sorted({d for n in names for d in reg.downstream(n)})
    if not below:
        return
    con.execute("DELETE FROM raw.model_state WHERE model IN (SELECT unnest(?::VARCHAR[])) "
                "AND (session IS NULL OR session = ?)", [below, session])


def clear_rows(con, model: Model, session: int | None) -> None:
    """Delete a model's rows before it is rebuilt: its session's, or all of them."""
    table = f"{model.schema}.{model.table}"  # a name from the registry, checked there: never user input
    if model.partitioned:
        con.execute(f"DELETE FROM {table} WHERE session = ?", [session])
    else:
        con.execute(f"DELETE FROM {table}")


def run_build(con, model: Model, session: int | None) -> None:
    """Run a model's build section (bound to ``$session`` where it names it)."""
    if model.build:
        db.run_sql(con, model.build, {"session": session}, name=model.label)


def stale(reg: Registry, step: str, session: int | None, expected: dict, have: dict) -> list[Model]:
    """The stored models of a step whose recorded version differs from the expected one.

    A model of a per-session step that is not partitioned (a dimension rewritten whole, as
    core.dim_theme from the reference files) counts only through what does not change with
    the sessions: it is rewritten by every session's step anyway, so it follows its
    partitioned inputs by construction; its own code or reference files changing must
    still rebuild every session.
    """
    out = []
    for m in reg.step(step):
        if m.ephemeral:
            continue
        key = (m.name, session if m.partitioned else None)
        if key not in expected:
            continue
        if have.get(key) != expected[key]:
            out.append(m)
    return out


def needed(reg: Registry, step: str, targets: Iterable[Model]) -> list[Model]:
    """The targets, what depends on them in the step, and the ephemeral models they read, in build order."""
    names = {m.name for m in targets}
    for n in list(names):
        names |= {d for d in reg.downstream(n) if reg[d].step == step}
    grow = True
    while grow:
        extra = {d for n in names for d in reg[n].depends if d in reg.models and reg[d].ephemeral
                 and reg[d].step == step} - names
        names |= extra
        grow = bool(extra)
    return [m for m in reg.step(step) if m.name in names]


def calendar_source(phase: str) -> SourceVersion:
    def version(name: str, session: int | None) -> str:
        return phase if name == CALENDAR else ""
    return version
