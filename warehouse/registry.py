"""The model registry: one file per table under warehouse/models, read once.

Every public table of the warehouse is declared in one file,
``warehouse/models/<schema>/<table>.sql``, that holds:

* a header of ``-- key: value`` lines (see :data:`HEADER_KEYS`): the **step** that
  builds it (``core``, ``enrich``, ``session`` marts or ``global`` marts), whether it is
  **partitioned** by GA session, what it **depends** on (tables, other models, and the
  sources ``staging.*``, ``raw.held_back`` and ``calendar``), the Python **code** its rows
  come from, and the Python **builder** that writes them when SQL does not;
* its DDL (``CREATE TABLE IF NOT EXISTS``);
* after a ``-- build`` line, the statements that fill it (one session's rows, bound to
  ``$session``, for a partitioned model; the whole table otherwise). The registry deletes
  the old rows first, so the file holds only how the rows are made;
* after a ``-- finish`` line, for a per-session model, statements run over all sessions
  once every session is built (the by-year marts take their year's coverage there).

A file whose name starts with ``_`` is an *ephemeral* model: a temporary table other
models of its step read (``core._current_resolution``); it has a build section and no
DDL, and is never published.

From the registry come the DDL of the public tables, the order and contents of every
build step, the Dagster asset specs (with the codebook's descriptions and columns and
each model's own ``code_version``), and the check that the codebook documents every
table. A model's **code version** hashes its own file, the files of the Python modules
it names and of every project module those import (read with :mod:`ast`, so the
import graph is followed without importing anything), and the data files it names: a
change to one mart's SQL changes that mart's version only, and the versions of what
depends on it follow (:meth:`Registry.expected`).

The same rules judge the structural checks: ``warehouse/sql/checks/<name>.sql``, each
with a header naming the table it guards and its severity (:func:`load_checks`).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MODELS_ROOT = Path(__file__).resolve().with_name("models")
CHECKS_ROOT = Path(__file__).resolve().with_name("sql") / "checks"

# The steps of a build, in order. core, enrich and session run per GA session; global over all.
STEPS = ("core", "enrich", "session", "global")
# What a model may depend on besides other models: inputs the registry does not build.
SOURCE_PREFIXES = ("staging.", "raw.")
CALENDAR = "calendar"  # the date of the build: coverage judges periods against it
HEADER_KEYS = {"step", "partitioned", "depends", "finish_depends", "code", "builder"}
_HEADER = re.compile(r"^--\s*([a-z_]+):\s*(.*?)\s*$")
_SECTION = re.compile(r"^--\s*(build|finish)\s*$")
_NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
# A table the SQL reads or writes: schema-qualified, or a temporary table of an ephemeral model.
_REFERENCE = re.compile(r"\b(core|marts|staging|raw)\.([a-z_]+)\b")


class RegistryError(ValueError):
    """A model file that cannot be read as the registry needs it (the message says which and why)."""


@dataclass(frozen=True)
class Model:
    name: str                  # "marts.theme_trend_by_session", "core._current_resolution"
    path: Path
    step: str
    partitioned: bool
    depends: tuple[str, ...]
    code: tuple[str, ...]
    builder: str | None
    ddl: str
    build: str
    finish: str
    finish_depends: tuple[str, ...] = ()
    kind: str = "table"        # table | ephemeral | finish (the finish section of a model, in the global step)

    @property
    def schema(self) -> str:
        return self.name.split(".")[0]

    @property
    def table(self) -> str:
        return self.name.split(".")[1].split("#")[0]

    @property
    def label(self) -> str:
        """The model's file as the project names it, for messages."""
        return f"warehouse/models/{self.schema}/{self.path.name}"

    @property
    def ephemeral(self) -> bool:
        return self.kind == "ephemeral"

    @property
    def temp_name(self) -> str:
        """The temporary table an ephemeral model creates (its file name without the underscore)."""
        return self.table[1:]

    @property
    def public(self) -> bool:
        return self.kind == "table"

    @functools.cached_property
    def code_version(self) -> str:
        """A hash of this model's own file and of the code and data files it names."""
        h = hashlib.sha256()
        h.update(f"{self.schema}/{self.path.name}".encode())
        h.update(self.path.read_bytes())
        for path in sorted(code_files(self.code)):
            h.update((path.relative_to(PROJECT).as_posix() if path.is_relative_to(PROJECT) else path.name).encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:16]

    def sql_references(self, section: str = "build") -> set[str]:
        """The tables the SQL of this model reads (its own name left out): of its DDL and build
        sections, or of its finish section."""
        text = _strip_comments(self.finish if section == "finish" else f"{self.ddl}\n{self.build}")
        return {f"{a}.{b}" for a, b in _REFERENCE.findall(text)} - {self.name}


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--")[0] for line in sql.splitlines())


def parse_model(path: Path, root: Path = MODELS_ROOT) -> Model:
    """Read one model file: its header, DDL, build and finish sections."""
    rel = path.relative_to(root)
    if len(rel.parts) != 2 or path.suffix != ".sql":
        raise RegistryError(f"{path}: a model is warehouse/models/<schema>/<table>.sql")
    name = f"{rel.parts[0]}.{path.stem}"
    if not _NAME.fullmatch(name):
        raise RegistryError(f"{path}: {name!r} is not a table name (lower case letters and _)")
    header: dict[str, str] = {}
    sections: dict[str, list[str]] = {"ddl": [], "build": [], "finish": []}
    current = "ddl"
    in_header = True
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if in_header:
            m = _HEADER.match(line)
            if m:
                if m.group(1) not in HEADER_KEYS:
                    raise RegistryError(f"{path}:{number}: unknown header key {m.group(1)!r} "
                                        f"(known: {', '.join(sorted(HEADER_KEYS))})")
                header[m.group(1)] = m.group(2)
                continue
            in_header = False
        s = _SECTION.match(line)
        if s:
            current = s.group(1)
            continue
        sections[current].append(line)
    step = header.get("step", "")
    if step not in STEPS:
        raise RegistryError(f"{path}: header 'step' must be one of {', '.join(STEPS)}, not {step!r}")
    partitioned = header.get("partitioned", "session" if step != "global" else "none")
    if partitioned not in ("session", "none"):
        raise RegistryError(f"{path}: header 'partitioned' is 'session' or 'none', not {partitioned!r}")
    if partitioned == "session" and step == "global":
        raise RegistryError(f"{path}: a global model covers every session; it cannot be partitioned")
    model = Model(
        name=name, path=path, step=step, partitioned=partitioned == "session",
        depends=_names(header.get("depends", "")), code=_names(header.get("code", "")),
        builder=header.get("builder") or None,
        ddl="\n".join(sections["ddl"]).strip(), build="\n".join(sections["build"]).strip(),
        finish="\n".join(sections["finish"]).strip(), finish_depends=_names(header.get("finish_depends", "")),
        kind="ephemeral" if path.stem.startswith("_") else "table")
    if model.finish and not model.partitioned:
        raise RegistryError(f"{path}: only a model built session by session has a finish section")
    if model.ephemeral and (model.ddl.replace("\n", "").strip() and not _only_comments(model.ddl)):
        raise RegistryError(f"{path}: an ephemeral model (a temporary table) has no DDL, only a build section")
    if model.public and not model.ddl:
        raise RegistryError(f"{path}: no CREATE TABLE statement before the build section")
    if not model.build and not model.builder:
        raise RegistryError(f"{path}: neither a build section nor a Python builder fills this table")
    return model


def _only_comments(sql: str) -> bool:
    return not _strip_comments(sql).strip()


def _names(value: str) -> tuple[str, ...]:
    return tuple(x for x in re.split(r"[,\s]+", value) if x)


# -- code versions -----------------------------------------------------------------------
def code_files(entries: Iterable[str]) -> set[Path]:
    """The files of a model's ``code`` entries: a module with every project module it
    imports, or a path (a file, or every file of a folder) relative to the project."""
    files: set[Path] = set()
    for entry in entries:
        if "/" in entry:
            path = PROJECT / entry
            if path.is_dir():
                files |= {p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
            elif path.is_file():
                files.add(path)
            else:
                raise RegistryError(f"code entry {entry!r}: no such file or folder in the project")
        else:
            files |= module_closure(entry)
    return files


def _module_file(module: str) -> Path | None:
    base = PROJECT.joinpath(*module.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


_PROJECT_PACKAGES = ("transforms", "warehouse")


@functools.cache
def _imports(module: str) -> frozenset[str]:
    """The project modules a module imports (at any depth in its body), read, not run."""
    path = _module_file(module)
    if path is None:
        return frozenset()
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}  # `from pkg import submodule`
    return frozenset(m for m in found if m.split(".")[0] in _PROJECT_PACKAGES and _module_file(m))


@functools.cache
def module_closure(module: str) -> frozenset[Path]:
    """The files of a module and of every project module it imports, transitively."""
    if _module_file(module) is None:
        raise RegistryError(f"code entry {module!r}: no such module in the project")
    seen: set[str] = set()
    todo = [module]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(_imports(m))
        # A package's __init__ runs on importing any of its modules.
        parent = m.rpartition(".")[0]
        if parent:
            todo.append(parent)
    return frozenset(p for m in seen if (p := _module_file(m)) is not None)


# -- the registry ----------------------------------------------------------------------
@dataclass
class Registry:
    models: dict[str, Model]
    order: list[str] = field(default_factory=list)  # every model, dependencies first

    def __post_init__(self) -> None:
        self.order = _topological(self.models)

    def __getitem__(self, name: str) -> Model:
        return self.models[name]

    def step(self, step: str) -> list[Model]:
        """The models of one step, each after what it depends on."""
        return [self.models[n] for n in self.order if self.models[n].step == step]

    def public(self, schema: str | None = None) -> list[Model]:
        return [m for n in self.order if (m := self.models[n]).public and schema in (None, m.schema)]

    def names(self, step: str, partitioned: bool | None = None) -> tuple[str, ...]:
        """The public tables a step writes (only those partitioned by session, or only those not)."""
        return tuple(m.table for m in self.step(step)
                     if m.public and (partitioned is None or m.partitioned == partitioned))

    def by_builder(self, builder: str) -> list[Model]:
        return [m for m in self.public() if m.builder == builder]

    def ddl(self) -> str:
        """The CREATE statements of every public table, dependencies first."""
        return "\n\n".join(m.ddl for m in self.public())

    def downstream(self, name: str) -> list[str]:
        """Every model that reads ``name``, directly or through others, in build order."""
        hit = {name}
        for n in self.order:
            if any(d in hit for d in self.models[n].depends):
                hit.add(n)
        return [n for n in self.order if n in hit and n != name]

    def expected(self, sources: Callable[[str, int | None], str], sessions: list[int]) -> dict:
        """The version each model's rows must carry now, per session (None for a global model).

        A model's version hashes its code version with the versions of what it depends
        on: the sources' (``sources(name, session)``: the staging layer's fingerprint of a
        session, the held-back resolutions, the calendar) and the other models'. A global
        model, or a partitioned model read by one, takes the versions of every session. So
        a model is stale exactly when its own code, or anything upstream of it, changed.
        """
        versions: dict[tuple[str, int | None], str] = {}

        def of(name: str, session: int | None) -> str:
            if name in self.models:
                m = self.models[name]
                if m.partitioned and session is None:
                    return _hash([of(name, s) for s in sessions])
                return versions[(name, session if m.partitioned else None)]
            return sources(name, session)

        for n in self.order:
            m = self.models[n]
            deps = m.depends
            if not m.partitioned and m.step != "global":
                # A table rewritten whole by every session's step (core.dim_instrument) follows
                # its per-session inputs by construction; its version is its own code's.
                deps = tuple(d for d in deps if not (d in self.models and self.models[d].partitioned))
            for session in (sessions if m.partitioned else [None]):
                versions[(n, session)] = _hash([m.code_version, *(f"{d}={of(d, session)}" for d in deps)])
        return versions


def _hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _topological(models: dict[str, Model]) -> list[str]:
    """Models in build order: steps in STEPS order, each model after its dependencies, else by name."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise RegistryError("models depend on each other in a circle: " + " -> ".join((*chain, name)))
        state[name] = 1
        for dep in models[name].depends:
            if dep in models:
                if STEPS.index(models[dep].step) > STEPS.index(models[name].step):
                    raise RegistryError(f"{name} (step {models[name].step}) depends on {dep}, built later "
                                        f"(step {models[dep].step})")
                visit(dep, (*chain, name))
        state[name] = 2
        order.append(name)

    for name in sorted(models, key=lambda n: (STEPS.index(models[n].step), n)):
        visit(name, ())
    # Stable by step: a model of an earlier step never waits behind a later one.
    return sorted(order, key=lambda n: STEPS.index(models[n].step))


def load_registry(root: Path = MODELS_ROOT) -> Registry:
    """Read every model file under ``root`` and check them against each other."""
    models = {}
    for path in sorted(root.glob("*/*.sql")):
        m = parse_model(path, root)
        models[m.name] = m
    problems = []
    for m in models.values():
        for dep in (*m.depends, *m.finish_depends):
            if dep not in models and not dep.startswith(SOURCE_PREFIXES) and dep != CALENDAR:
                problems.append(f"{m.path.relative_to(root)}: depends on {dep!r}, which is neither a model nor "
                                "a source")
        # The header must name what the SQL reads, so the graph cannot drift from the code.
        for section, declared in (("build", m.depends), ("finish", m.finish_depends)):
            read = m.sql_references(section) | _temp_reads(m, models, section)
            undeclared = sorted(read - set(declared))
            if undeclared:
                key = "depends" if section == "build" else "finish_depends"
                problems.append(f"{m.path.relative_to(root)}: its {section} SQL reads {', '.join(undeclared)}, "
                                f"not named in its '{key}' header")
    if problems:
        raise RegistryError("\n".join(problems))
    # A finish section runs in the global step, after what it reads; the global models that
    # read a finished table wait for its finish.
    finishes = {f"{m.name}#finish": Model(
        name=f"{m.name}#finish", path=m.path, step="global", partitioned=False,
        depends=(m.name, *m.finish_depends), code=(), builder=None, ddl="", build=m.finish, finish="",
        kind="finish") for m in models.values() if m.finish}
    for name, m in list(models.items()):
        waits = tuple(f"{d}#finish" for d in m.depends if f"{d}#finish" in finishes)
        if m.step == "global" and waits:
            models[name] = dataclasses.replace(m, depends=(*m.depends, *waits))
    return Registry({**models, **finishes})


def _temp_reads(m: Model, models: dict[str, Model], section: str) -> set[str]:
    text = _strip_comments(m.finish if section == "finish" else m.build)
    return {e.name for e in models.values()
            if e.ephemeral and e.name != m.name and re.search(rf"(?<![.\w]){e.temp_name}\b", text)}


@functools.cache
def registry() -> Registry:
    """The project's registry (read once per process)."""
    return load_registry()


# -- structural checks -----------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    name: str
    table: str         # the model it guards, as "core.fact_paragraph"
    blocking: bool     # False: it reports and never stops a publication
    description: str   # the file's leading comment

    @property
    def path(self) -> Path:
        return CHECKS_ROOT / f"{self.name}.sql"


def load_checks(root: Path = CHECKS_ROOT) -> list[Check]:
    """The structural checks, one SQL file each, with the table they guard and their severity."""
    checks = []
    for path in sorted(root.glob("*.sql")):
        header, comment = {}, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip().startswith("--"):
                break
            m = re.match(r"^--\s*(table|severity):\s*(\S+)\s*$", line.strip())
            if m:
                header[m.group(1)] = m.group(2)
            else:
                comment.append(line.strip()[2:].strip())
        if "table" not in header:
            raise RegistryError(f"{path}: a check names the table it guards in a '-- table:' header line")
        severity = header.get("severity", "error")
        if severity not in ("error", "warn"):
            raise RegistryError(f"{path}: severity is 'error' or 'warn', not {severity!r}")
        checks.append(Check(path.stem, header["table"], severity == "error",
                            " ".join(x for x in comment if x) or path.stem))
    return checks


def codebook_problems(reg: Registry, codebook: dict) -> list[str]:
    """Tables with a model and no codebook entry, or documented in the codebook with no model."""
    documented = {t for t in codebook.get("tables", {})
                  if t.split(".")[0] in ("core", "marts")}
    modelled = {m.name for m in reg.public()}
    return ([f"{t}: a model (warehouse/models) without a codebook entry (warehouse/codebook.yaml)"
             for t in sorted(modelled - documented)]
            + [f"{t}: in the codebook but no model declares it (warehouse/models/{t.replace('.', '/')}.sql)"
               for t in sorted(documented - modelled)])
