"""The layers of docs/architecture.md, checked by module name so that a new module is held to them
before .importlinter lists it: no cycle between packages below the views, nothing below the views
imports one, and imports sit at the top of their module except in the app factory and the CLI."""

import ast
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

from portal import events
from portal.models import rules

ROOT = Path(__file__).resolve().parent.parent
# Modules that may import inside a function: the app factory wires every feature in, and a CLI
# command imports what it runs only when it runs.
FUNCTION_IMPORTS_ALLOWED = {"portal/__init__.py", "portal/app.py", "portal/cli.py"}
# The `redis` extra: installed only where REDIS_URL is set, so imported where it is used.
OPTIONAL_PACKAGES = {"redis", "rq"}
TOP_MODULES = {
    "portal",
    "portal.app",
    "portal.cli",
    "portal.seeding",
    "portal.demo_reset",
    "portal.render_cli",
}


def is_top(module: str) -> bool:
    """Views (blueprints), CLI commands, the seeds and the app factory: the top layer."""
    last = module.rsplit(".", 1)[-1]
    return (
        module in TOP_MODULES
        or module.startswith("portal.loaddata")  # the load-test round: a CLI command's data
        or last in ("views", "cli")
        or last.endswith("_views")
    )


def package_of(module: str) -> str:
    if is_top(module):
        return "top"
    parts = module.split(".")
    return "forms" if parts[0] == "forms" else ".".join(parts[:2])


def package_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("portal", "forms", exclude_type_checking_imports=True)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = package_of(module), package_of(imported)
            if a != b:
                edges.setdefault(a, set()).add(b)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}}) is None


def test_packages_below_the_views_import_each_other_without_a_cycle():
    edges = package_graph()
    assert find_cycle(edges) is None
    # The features are really below: every one is imported by the top, none imports it.
    assert not [a for a, targets in edges.items() if "top" in targets]
    assert {"portal.models", "portal.statements", "portal.signons", "forms"} <= edges["top"]


def test_the_bottom_layer_imports_no_feature():
    bottom = {
        "portal.audit",
        "portal.config",
        "portal.core",
        "portal.errors",
        "portal.events",
        "portal.extensions",
        "portal.locale_formats",
        "portal.mail",
        "portal.models",
        "portal.pdf",
        "portal.permissions",
        "portal.places",
        "portal.signatory_order",
        "portal.text",
    }
    edges = package_graph()
    assert {a: edges[a] - bottom for a in bottom if edges.get(a, set()) - bottom} == {}


def function_level_imports(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for function in ast.walk(ast.parse(path.read_text())):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            if all(name.split(".")[0] in OPTIONAL_PACKAGES for name in names):
                continue
            found.append(f"{path.relative_to(root)}:{node.lineno} {', '.join(names)}")
    return found


def test_imports_sit_at_the_top_except_in_the_app_factory_and_the_cli():
    files = sorted((ROOT / "portal").rglob("*.py")) + sorted((ROOT / "forms").rglob("*.py"))
    checked = [
        path
        for path in files
        if str(path.relative_to(ROOT)) not in FUNCTION_IMPORTS_ALLOWED
        and not path.name.endswith("cli.py")
    ]
    assert len(checked) > 100
    assert [hit for path in checked for hit in function_level_imports(path)] == []


def test_the_walk_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\n\n\ndef f():\n    from rq import Queue\n    from . import x\n")
    assert function_level_imports(module, tmp_path) == ["module.py:6 ."]


def test_the_import_linter_contracts_are_kept():
    assert lint_imports(config_filename=str(ROOT / ".importlinter")) == 0


def test_create_app_connects_every_cross_feature_event_and_model_rule(app):
    for signal in (events.revision_created, events.statement_approved, events.email_proven):
        assert len(signal.receivers) == 1, signal.name
    assert set(rules._rules) == {"statement_permits", "signature_permits", "can_remind"}
