"""The suite's own rules: a test module imports nothing from another test module or from a
conftest, and takes no fixture into its namespace (by import or by assignment). Fixtures shared
between modules live in conftest.py and the plugins it lists in `pytest_plugins`, plain helpers
in tests/helpers/ (or beside those fixtures): importing a test module runs its module-level
set-up again, and a fixture copied into a module hides which one pytest really resolves."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def _is_forbidden(module: str) -> bool:
    name = module.rsplit(".", 1)[-1]
    return name.startswith("test_") or name == "conftest"


def forbidden_imports(source: str) -> list[str]:
    """The modules imported by `source` that are test modules or conftests."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_forbidden(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.module and _is_forbidden(node.module):
                found.append(module)
            # `from tests import test_x`, `from . import conftest`
            found += [
                f"{module}.{alias.name}".replace("..", ".")
                for alias in node.names
                if _is_forbidden(alias.name)
            ]
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tests.test_api import approved", ["tests.test_api"]),
        ("from .test_import import _login", [".test_import"]),
        ("from tests.conftest import PASSWORD", ["tests.conftest"]),
        ("from tests import test_api", ["tests.test_api"]),
        ("def f():\n    from .conftest import PortalClient", [".conftest"]),
        ("import tests.test_access_matrix", ["tests.test_access_matrix"]),
        ("from tests.helpers.clients import PASSWORD", []),
        ("from tests import signons_support as support", []),
        ("from portal.signons import test_data", ["portal.signons.test_data"]),
    ],
)
def test_forbidden_imports_are_recognised(source, expected):
    assert forbidden_imports(source) == expected


def test_no_test_module_imports_another_test_module_or_a_conftest():
    offenders = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if (found := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, (
        "move shared fixtures to conftest.py or a `pytest_plugins` plugin, plain helpers to "
        f"tests/helpers/: {offenders}"
    )


def _fixture_names(source: str) -> set[str]:
    """Names of the functions `source` decorates with @pytest.fixture (called or not)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr == "fixture":
                    names.add(node.name)
    return names


def copied_fixtures(source: str, shared: set[str]) -> list[str]:
    """The shared fixtures `source` imports by name or assigns at module level."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [alias.name for alias in node.names if alias.name in shared]
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                found += [n.id for n in names if isinstance(n, ast.Name) and n.id in shared]
    return found


def _shared_fixtures() -> set[str]:
    plugins = [TESTS / "conftest.py"] + [
        TESTS / f"{name.split('.')[-1]}.py" for name in _plugin_names()
    ]
    return set().union(*(_fixture_names(p.read_text(encoding="utf-8")) for p in plugins))


def _plugin_names() -> list[str]:
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "pytest_plugins":
            return ast.literal_eval(node.value)
    return []


def test_copied_fixtures_are_recognised():
    source = (
        "import pytest\n"
        "from tests import desk_support as support\n"
        "from tests.exports_support import approved, REDIS_URL\n"
        "chased, new_text = support.chased, support.new_text\n"
        "@pytest.fixture(scope='module')\n"
        "def local(): ...\n"
    )
    assert _fixture_names(source) == {"local"}
    assert copied_fixtures(source, {"chased", "approved"}) == ["approved", "chased"]


def test_no_module_copies_a_shared_fixture():
    shared = _shared_fixtures()
    assert {"app", "chased", "cast", "redis_queue", "tripwire"} <= shared
    offenders = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "conftest.py"
        and (found := copied_fixtures(path.read_text(encoding="utf-8"), shared))
    }
    assert offenders == {}, f"pytest finds shared fixtures by name, as a parameter: {offenders}"
