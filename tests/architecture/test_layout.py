"""The folder layout is the architecture: these tests keep it so.

Dependencies point one way (dyads ← interviews ← analysis, and inside analysis from
the sub-domain that uses a thing to the one that owns it), every sub-domain has the
same shape, and no module grows past the size at which it becomes a package.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUB_DOMAINS = ("coding", "deliberation", "agreement", "themes", "supervision", "exchange")
# From the sub-domain every other builds on to the ones nothing imports.
ORDER = {name: rank for rank, name in enumerate(SUB_DOMAINS)}
LARGEST_MODULE = 600


def python_modules(*apps: str) -> list[Path]:
    return [
        path
        for app in apps
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def sub_domain(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "analysis" and len(parts) > 1 and parts[1] in SUB_DOMAINS:
        return parts[1]
    return None


def test_the_kernel_imports_none_of_its_dependants():
    for path in python_modules("dyads"):
        wrong = {m for m in imported_modules(path) if m.split(".")[0] in ("interviews", "analysis")}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_interviews_imports_nothing_of_analysis():
    for path in python_modules("interviews"):
        wrong = {m for m in imported_modules(path) if m.split(".")[0] == "analysis"}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_analysis_keeps_at_most_eight_top_level_modules():
    modules = sorted(p.name for p in (ROOT / "analysis").glob("*.py"))
    assert len(modules) <= 8, modules


@pytest.mark.parametrize("name", SUB_DOMAINS)
def test_every_sub_domain_has_the_same_shape(name):
    package = ROOT / "analysis" / name
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    assert docstring and "import" in docstring, f"{name}/__init__.py says what it may import"
    for part in ("models", "services", "selectors", "apis", "views", "urls"):
        assert (package / f"{part}.py").exists() or (package / part).is_dir(), f"{name}/{part}"


def test_no_module_passes_six_hundred_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in python_modules("config", "dyads", "interviews", "analysis")
        if "demo" not in path.parts
        and (lines := len(path.read_text().splitlines())) > LARGEST_MODULE
    }
    assert not too_long


def test_the_statistics_import_nothing_from_django():
    for name in ("coefficients", "units", "tallies", "passages"):
        modules = imported_modules(ROOT / "analysis" / "agreement" / f"{name}.py")
        assert not {m for m in modules if m.split(".")[0] in ("django", "dyads", "interviews")}
        assert all(sub_domain(m) in (None, "agreement") for m in modules)
