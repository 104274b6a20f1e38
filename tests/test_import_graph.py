"""The package's import graph keeps the shape `shared/ARCHITECTURE.md` draws.

Every `import` of every module is read with `ast`, wherever it is written (at the top,
inside a function, under `if TYPE_CHECKING:`), and checked against an explicit order
of the stages: a stage imports itself and the stages before it, never a later one; no
two modules import each other, however indirectly; `execute/` never reaches the
renderer; nothing below the command line prints or reads `sys.argv`.

Edges are what import statements name. Importing `a.b.c` also runs `a/__init__` and
`a/b/__init__`, but those parents are not edges here: a package's `__init__` that
exports its stage's entry points would otherwise be "imported" by every module inside.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

import notebook_runner

PACKAGE = "notebook_runner"
ROOT = Path(notebook_runner.__file__).parent

STAGES: tuple[tuple[str, ...], ...] = (
    # Shared by every stage; they import nothing of ours. `notebook_runner` is the
    # package's own `__init__` (the version).
    (PACKAGE, "model", "atomic", "timecode", "safe_urls"),
    # Where commands may write (the vault rule, our markers, the output lock): the vault
    # reader skips folders holding our markers, so it sits below `vault`.
    ("outputs",),
    ("diagnostics",),
    ("config",),
    ("vault", "obsidian_settings"),  # the vault's files, and its `.obsidian/` settings
    ("parse",),
    ("resolve",),
    ("video",),
    ("pipeline",),  # the front stages strung together: config, vault, parse, resolve, video
    ("execute",),
    ("notebooks",),
    ("render",),
    ("publish",),
    ("serve",),
    # Entry points: nothing imports them (but `__main__` runs `cli`, which runs a command).
    ("pytest_plugin",),
    ("commands",),
    ("cli",),
    ("__main__",),
)
"""Pipeline order, as in ARCHITECTURE.md; a stage may import its own layer and earlier."""

LAYER = {stage: index for index, layer in enumerate(STAGES) for stage in layer}

UPWARD_ALLOWED: Mapping[tuple[str, str], str] = {
    (
        "notebook_runner.vault",
        "notebook_runner.notebooks.ingest",
    ): "a vault holding .ipynb / .py notebooks reads them as notes (imported on first use)",
}
"""The only imports of a later stage, each with its reason; everything the target
imports in turn must be allowed to the importer (or be in the target's own folder)."""

ENTRY_POINTS = frozenset({"commands", "cli", "__main__"})
"""Only these print and read the command line; every other module returns diagnostics."""

ARGV_ALLOWED: Mapping[str, str] = {
    "notebook_runner.execute.sandbox": "the note's own argv, set for it in its process",
}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool


def package_modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Module]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join((package, *(parts[:-1] if is_package else parts)))
        found[name] = Module(name, path, is_package)
    return found


def imported_names(source: str, module: str, is_package: bool) -> set[str]:
    """Every dotted name an import in `source` may load: `from a import b` gives `a`
    and `a.b` (`b` may be a module or a name in `a`). Relative imports are resolved."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif _is_import_module_call(node):
            assert isinstance(node, ast.Call)
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_import_module_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def module_graph(modules: Mapping[str, Module]) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    graph = {}
    for name, module in modules.items():
        source = module.path.read_text(encoding="utf-8")
        imported = imported_names(source, name, module.is_package)
        graph[name] = {target for text in imported if (target := _known(text, modules))}
        graph[name].discard(name)
    return graph


def _known(name: str, modules: Mapping[str, Module]) -> str | None:
    """The module `name` loads: itself, or the longest known prefix (`a.b.func` -> `a.b`)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def upward_imports(
    graph: Mapping[str, Set[str]], allowed: Mapping[tuple[str, str], str] = UPWARD_ALLOWED
) -> list[str]:
    """`importer -> imported` for every import of a later stage not in `allowed`."""
    return [
        f"{source} ({stage_of(source)}) -> {target} ({stage_of(target)})"
        for source, targets in sorted(graph.items())
        for target in sorted(targets)
        if LAYER[stage_of(target)] > LAYER[stage_of(source)] and (source, target) not in allowed
    ]


def import_cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: Mapping[str, Set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def command_line_uses(source: str) -> list[str]:
    """`print(...)` calls and reads of `sys.argv` in `source`, as `line: what`, in order."""
    return sorted(_command_line_uses(source), key=lambda use: int(use.split(":")[0]))


def _command_line_uses(source: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
            yield f"{node.lineno}: print"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "argv"
            and getattr(node.value, "id", None) == "sys"
            and isinstance(node.ctx, ast.Load)
        ):
            yield f"{node.lineno}: sys.argv"
        elif isinstance(node, ast.ImportFrom) and node.module == "sys":
            yield from (
                f"{node.lineno}: from sys import argv" for a in node.names if a.name == "argv"
            )


MODULES = package_modules()
GRAPH = module_graph(MODULES)


# ---------------------------------------------------------------- the package


def test_every_module_belongs_to_a_declared_stage() -> None:
    """A new folder or root module must be placed in the order before it can pass."""
    assert sorted({stage_of(name) for name in MODULES} - set(LAYER)) == []


def test_no_stage_imports_a_later_stage() -> None:
    assert upward_imports(GRAPH) == []


def test_each_allowed_upward_import_exists_and_pulls_in_nothing_later() -> None:
    for (source, target), _reason in UPWARD_ALLOWED.items():
        assert target in GRAPH[source], f"stale exception: {source} no longer imports {target}"
        pulled = reachable(GRAPH, target) | {target}
        later = [
            name
            for name in sorted(pulled)
            if stage_of(name) != stage_of(target)
            and LAYER[stage_of(name)] > LAYER[stage_of(source)]
        ]
        assert later == [], f"{target}, imported by {source}, brings in {later}"


def test_no_import_circles() -> None:
    assert import_cycles(GRAPH) == []


def test_execute_never_reaches_the_renderer() -> None:
    """Pages read stored results; running code knows nothing of HTML (ARCHITECTURE.md)."""
    renderer = {"render", "publish", "serve"}
    for name in (name for name in MODULES if stage_of(name) == "execute"):
        assert sorted(m for m in reachable(GRAPH, name) if stage_of(m) in renderer) == []


def test_the_syntax_rules_import_only_each_other() -> None:
    """The markdown-it rules know nothing of execution, pages or videos."""
    syntax = f"{PACKAGE}.parse.syntax"
    for name in (name for name in MODULES if name.startswith(syntax)):
        assert sorted(m for m in GRAPH[name] if not m.startswith(syntax)) == []


def test_nothing_below_the_command_line_prints_or_reads_argv() -> None:
    found = {
        name: uses
        for name, module in MODULES.items()
        if stage_of(name) not in ENTRY_POINTS and name not in ARGV_ALLOWED
        if (uses := command_line_uses(module.path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_argv_exceptions_only_read_argv() -> None:
    for name in ARGV_ALLOWED:
        uses = command_line_uses(MODULES[name].path.read_text(encoding="utf-8"))
        assert [use for use in uses if not use.endswith(": sys.argv")] == []


# ---------------------------------------------------------------- the checker itself


def test_imports_inside_functions_and_under_type_checking_are_edges() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from notebook_runner.render.pages import RenderedNote\n"
        "def later():\n"
        "    import notebook_runner.publish.site\n"
        "    from . import plan\n"
        "    from ..video import urls\n"
        "    importlib.import_module('notebook_runner.serve.live')\n"
    )
    names = imported_names(source, "notebook_runner.execute.runner", is_package=False)
    modules = {
        name: Module(name, Path(), False)
        for name in (
            "notebook_runner.render.pages",
            "notebook_runner.publish.site",
            "notebook_runner.execute.plan",
            "notebook_runner.video.urls",
            "notebook_runner.serve.live",
        )
    }
    assert {_known(name, modules) for name in names} - {None} == set(modules)


def test_an_import_of_a_later_stage_is_reported() -> None:
    graph = {
        "notebook_runner.execute.runner": {"notebook_runner.render.pages"},
        "notebook_runner.render.pages": {"notebook_runner.execute.results"},
    }
    assert upward_imports(graph) == [
        "notebook_runner.execute.runner (execute) -> notebook_runner.render.pages (render)"
    ]


def test_a_circle_is_reported_however_long() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_prints_and_argv_reads_are_found_but_not_argv_writes() -> None:
    source = "import sys\nprint(sys.argv[1])\nsys.argv = ['note.py']\nfrom sys import argv\n"
    assert command_line_uses(source) == [
        "2: print",
        "2: sys.argv",
        "4: from sys import argv",
    ]
