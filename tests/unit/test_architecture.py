"""The import graph the layout promises: the core knows neither its transport nor Slack."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MONITOR = Path(__file__).parents[2] / "monitor"
TRANSPORT = ("streams", "faust", "kafka", "aiokafka")
# The stages of the pipeline and what they are built from: no delivery code (monitor.slack, sinks) in them.
CORE_STAGES = (
    "actors", "articles", "attribution", "detector", "embedding", "pipeline", "rules", "stance", "stories",
    "text", "types",
)  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("path", sorted(MONITOR.rglob("*.py")), ids=lambda p: str(p.relative_to(MONITOR)))
def test_the_core_never_imports_its_transport(path: Path) -> None:
    bad = sorted(m for m in imported_modules(path) if any(_under(m, t) for t in TRANSPORT))
    assert not bad, f"monitor/{path.relative_to(MONITOR)} imports {bad}"


def stage_files(stage: str) -> list[Path]:
    """A stage's module, or every module of its package (monitor/stance/)."""
    package = MONITOR / stage
    return sorted(package.rglob("*.py")) if package.is_dir() else [MONITOR / f"{stage}.py"]


@pytest.mark.parametrize("stage", CORE_STAGES)
def test_core_stages_never_import_delivery(stage: str) -> None:
    for path in stage_files(stage):
        modules = imported_modules(path)
        bad = sorted(m for m in modules if _under(m, "monitor.slack") or _under(m, "monitor.alerting"))
        assert not bad, f"monitor/{path.relative_to(MONITOR)} imports {bad}"


def test_the_scan_sees_lazy_imports(tmp_path: Path) -> None:
    # an import inside a function (how the Kafka commands used to be reached from monitor/cli.py) counts
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from streams.worker import run_worker\n", encoding="utf-8")
    assert "streams.worker" in imported_modules(sample)
