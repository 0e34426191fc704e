"""The suite's own rules: a test module imports nothing from another test module or from a
conftest. Fixtures shared between modules live in conftest.py and the plugins it lists in
`pytest_plugins`, plain helpers in tests/helpers/ (or beside those fixtures): importing a test
module runs its module-level set-up again and hides which fixtures pytest really resolves."""

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
