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
DELIVERY = ("monitor.slack", "monitor.sinks")


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


def module_file(module: str) -> Path | None:
    """The file of a module of ours (`monitor.x` -> monitor/x.py or monitor/x/__init__.py), else None."""
    base = MONITOR.parent.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def loaded_with(module: str) -> set[str]:
    """Every monitor module that importing `module` loads: its imports, theirs, and the packages above each."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        path = module_file(name)
        if name in seen or path is None:  # None: a name imported from a module (`monitor.alerts.Alert`)
            continue
        seen.add(name)
        parents = {name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)}
        todo += [m for m in imported_modules(path) | parents if _under(m, "monitor")]
    return seen


@pytest.mark.parametrize("stage", CORE_STAGES)
def test_core_stages_never_load_delivery(stage: str) -> None:
    bad = sorted(m for m in loaded_with(f"monitor.{stage}") if any(_under(m, d) for d in DELIVERY))
    assert not bad, f"monitor.{stage} loads {bad}"


def test_the_alert_model_knows_neither_slack_nor_its_rendering() -> None:
    loaded = loaded_with("monitor.alerts")
    bad = sorted(
        m for m in loaded if any(_under(m, p) for p in ("monitor.slack", "monitor.sinks", "monitor.render"))
    )
    assert not bad, f"monitor.alerts loads {bad}"


def test_the_graph_walk_follows_imports_through_other_modules() -> None:
    # the Slack sink reaches the alert model through its notifier; the pipeline reaches it directly
    assert {"monitor.slack", "monitor.slack._notifier", "monitor.alerts"} <= loaded_with(
        "monitor.slack._sink"
    )
    assert "monitor.alerts" in loaded_with("monitor.pipeline")


def test_the_scan_sees_lazy_imports(tmp_path: Path) -> None:
    # an import inside a function (how the Kafka commands used to be reached from monitor/cli.py) counts
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from streams.worker import run_worker\n", encoding="utf-8")
    assert "streams.worker" in imported_modules(sample)
