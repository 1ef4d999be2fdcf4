"""Rule files: which actors to track, what a stance looks like, and when to alert.

A rules path is one YAML file or a directory of them (`*.yaml`/`*.yml`, recursive). Each file may
hold any of the sections `actors`, `stances` and `rules`; ids are unique across all files.
`load_rules` either returns a complete RuleSet or raises RuleError listing every problem it found as
`file:line: where: what is wrong (got X; expected Y)`, so a person can fix all files in one pass and a
running monitor can keep its previous good rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from monitor.detector import DetectorConfig as _Defaults  # one place for the detector's defaults
from monitor.errors import RuleError  # defined there so all errors share one module; re-exported here
from monitor.types import Direction, Severity, StanceKey

__all__ = [
    "ActorDef",
    "RuleDef",
    "RuleError",
    "RuleSet",
    "StanceDef",
    "load_rules",
    "parse_duration",
    "rules_json_schema",
]

SECTIONS = ("actors", "stances", "rules")
NO_TARGET = "the other side"  # what {target} reads as when a rule has no target


# --- durations -------------------------------------------------------------------------------------

_DURATION_RE = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_UNIT_SECONDS = (7 * 86400, 86400, 3600, 60, 1)
# at least one part: an empty string is no duration (the loader says so too)
_DURATION_SCHEMA_PATTERN = r"^(?=\s*\d)\s*(\d+w)?\s*(\d+d)?\s*(\d+h)?\s*(\d+m)?\s*(\d+s)?\s*$"


def parse_duration(text: str | int) -> timedelta:
    """Parse "90m", "24h", "14d", "2w", "1h30m" or "3600s" (units in that order); a bare int is seconds."""
    if isinstance(text, bool):  # bool is an int subclass; `window: yes` is not a duration
        raise ValueError(f"invalid duration {text!r}: expected e.g. 90m, 24h, 14d, 2w, 1h30m or 3600s")
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"invalid duration {text!r}: expected a number of seconds >= 0")
        return timedelta(seconds=text)
    match = _DURATION_RE.fullmatch("".join(str(text).split())) if isinstance(text, str) else None
    if match is None or not any(match.groups()):
        raise ValueError(f"invalid duration {text!r}: expected e.g. 90m, 24h, 14d, 2w, 1h30m or 3600s")
    return timedelta(
        seconds=sum(int(n) * unit for n, unit in zip(match.groups(), _UNIT_SECONDS, strict=True) if n)
    )


def _format_duration(value: timedelta) -> str:
    """The inverse of parse_duration for whole seconds: 1 day 6 hours -> "1d6h"."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in zip("wdhms", _UNIT_SECONDS, strict=True):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def _to_duration(value: object) -> object:
    # Runs before pydantic's own timedelta parsing, which would take ISO 8601 ("P1D") but not "24h".
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str | int):
        try:
            return parse_duration(value)
        except ValueError:
            pass
    raise ValueError("expected a duration like 24h")


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("expected a positive duration like 24h")
    return value


def _duration_json(minimum: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": _DURATION_SCHEMA_PATTERN,
                "examples": ["90m", "24h", "14d", "1h30m"],
            },
            {"type": "integer", "minimum": minimum, "description": "seconds"},
        ]
    }


Duration = Annotated[timedelta, BeforeValidator(_to_duration), WithJsonSchema(_duration_json(0))]
# The schema cannot say "not 0h" for the string form; the loader does (`window: 0h` is a file:line error).
PositiveDuration = Annotated[
    timedelta, BeforeValidator(_to_duration), AfterValidator(_positive), WithJsonSchema(_duration_json(1))
]


# --- small field types -----------------------------------------------------------------------------

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_ID_RE = re.compile(_ID_PATTERN)
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError("expected an id of letters, digits, '_', '-' or '.'")
    return value


def _check_template(text: str) -> str:
    # Only {actor} and {target} get filled; any other placeholder would reach the model verbatim.
    unknown = [name for name in _PLACEHOLDER_RE.findall(text) if name not in ("actor", "target")]
    if unknown:
        got = _got(text)
        raise ValueError(
            f"unknown placeholder {{{unknown[0]}}} (got {got}; expected {{actor}} or {{target}})"
        )
    return text


Id = Annotated[str, AfterValidator(_check_id), WithJsonSchema({"type": "string", "pattern": _ID_PATTERN})]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Template = Annotated[Text, AfterValidator(_check_template)]


class _YamlModel(BaseModel):
    # extra="forbid": a misspelled key is an error, not a silently ignored setting.
    # coerce_numbers_to_str: `labels: {tier: 1}` or `title: 2024` mean the text the user typed.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


# --- the three kinds of definitions ----------------------------------------------------------------


class ActorDef(_YamlModel):
    """A tracked actor; any of its aliases in a sentence counts as a mention of it."""

    id: Id
    name: Text = Field(description="Display name; used to fill {actor}/{target} and always an alias too.")
    aliases: list[Text] = Field(
        default_factory=list, description="Words that mark a mention: names, adjectives, capitals, leaders."
    )

    @field_validator("aliases")
    @classmethod
    def _some_aliases(cls, aliases: list[str]) -> list[str]:
        # Only runs when the key is present: an explicit empty list is almost certainly a mistake.
        if not aliases:
            raise ValueError("expected at least one alias, or leave `aliases` out to use the name alone")
        return aliases

    @model_validator(mode="after")
    def _name_is_alias(self) -> ActorDef:
        aliases = list(dict.fromkeys(self.aliases))  # drop repeats, keep order
        if self.name not in aliases:
            aliases.insert(0, self.name)
        self.aliases = aliases
        return self


class StanceDef(_YamlModel):
    """A stance, described by example statements that express it and statements that deny it."""

    id: Id
    label: Text = Field(description="Short human wording, e.g. 'offers mediation'.")
    examples: list[Template] = Field(
        min_length=1, description="Statements expressing the stance; {actor} and {target} are filled in."
    )
    counter_examples: list[Template] = Field(
        default_factory=list, description="Statements that deny, reject or oppose the stance."
    )


class RuleDef(_YamlModel):
    """When to alert: an actor starts (rise) or stops (fall) expressing a stance."""

    id: Id
    title: Text
    actor: Id = Field(description="An actor id.")
    stance: Id = Field(description="A stance id.")
    target: Id | None = Field(default=None, description="Optional actor id the stance is directed at.")
    direction: Direction = Field(description="rise: starts expressing it; fall: stops or denies it.")
    window: PositiveDuration = Field(default=_Defaults.window, description="Recent window, in event time.")
    baseline: PositiveDuration = Field(default=_Defaults.baseline, description="Baseline window before it.")
    min_evidence: int = Field(
        default=_Defaults.min_evidence, ge=1, description="Distinct articles needed in the window."
    )
    min_sources: int = Field(
        default=_Defaults.min_sources, ge=1, description="Distinct outlets needed in the window."
    )
    cooldown: Duration = Field(default=_Defaults.cooldown, description="No repeat alert within it.")
    severity: Severity = "medium"
    channel: Text | None = Field(default=None, description="Slack channel; else the default channel.")
    labels: dict[str, str] = Field(default_factory=dict, description="Copied onto the alert.")
    alpha: float = Field(
        default=_Defaults.alpha, gt=0, lt=0.5, description="Significance level of the rate test."
    )
    min_ratio: float = Field(
        default=_Defaults.min_ratio, ge=1.0, description="Window rate over baseline rate, at least."
    )
    enabled: bool = True
    # Set by the loader so alerts and errors can point at the rule and alerts can describe themselves
    # (names as of the rules the alert fired under); not accepted from YAML.
    source_file: str = ""
    source_line: int = 0
    actor_name: str = ""
    target_name: str | None = None
    stance_label: str = ""

    @model_validator(mode="after")
    def _sources_fit_evidence(self) -> RuleDef:
        # Each outlet brings at least one article, so more sources than articles can never be met.
        if self.min_sources > self.min_evidence:
            if "min_sources" in self.model_fields_set:
                raise ValueError(
                    f"min_sources cannot exceed min_evidence "
                    f"(got min_sources {self.min_sources}, min_evidence {self.min_evidence})"
                )
            self.min_sources = self.min_evidence  # only the default is too high: lower it quietly
        return self

    @property
    def key(self) -> StanceKey:
        return StanceKey(self.actor, self.stance, self.target)


# RuleDef fields the loader sets; a rule file may not.
LOADER_FIELDS = ("source_file", "source_line", "actor_name", "target_name", "stance_label")

# Keys a user may write in YAML, for "unknown field (expected one of: ...)".
_YAML_FIELDS: dict[type[BaseModel], list[str]] = {
    ActorDef: ["name", "aliases"],  # the id is the mapping key
    StanceDef: ["label", "examples", "counter_examples"],
    RuleDef: [name for name in RuleDef.model_fields if name not in LOADER_FIELDS],
}


@dataclass
class RuleSet:
    actors: dict[str, ActorDef] = field(default_factory=dict)
    stances: dict[str, StanceDef] = field(default_factory=dict)
    rules: list[RuleDef] = field(default_factory=list)

    def examples_for(self, key: StanceKey) -> tuple[list[str], list[str]]:
        """The stance's examples and counter-examples with {actor} and {target} filled in for `key`."""
        stance = self.stances[key.stance]
        names = {
            "actor": self.actors[key.actor].name,
            "target": self.actors[key.target].name if key.target else NO_TARGET,
        }

        def fill(template: str) -> str:
            # One pass, so a name that happens to contain "{target}" is not filled twice.
            return _PLACEHOLDER_RE.sub(lambda m: names.get(m.group(1), m.group(0)), template)

        return [fill(t) for t in stance.examples], [fill(t) for t in stance.counter_examples]

    def rule(self, rule_id: str) -> RuleDef:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"unknown rule {rule_id!r} (expected one of: {', '.join(r.id for r in self.rules)})")

    def keys(self) -> list[StanceKey]:
        """Distinct keys of enabled rules, in rule order: what the scorer has to judge."""
        return list(dict.fromkeys(rule.key for rule in self.active()))

    def active(self) -> list[RuleDef]:
        """The enabled rules: the ones detectors run."""
        return [rule for rule in self.rules if rule.enabled]

    def describe(self) -> str:
        """How many rules run, e.g. "4 active rules (1 disabled)", for start-up and reload messages."""
        active = len(self.active())
        disabled = len(self.rules) - active
        counted = f"{active} active rule{'' if active == 1 else 's'}"
        return f"{counted} ({disabled} disabled)" if disabled else counted


# --- loading ---------------------------------------------------------------------------------------


def load_rules(path: str | Path | Sequence[str | Path]) -> RuleSet:
    """Load a rule file, or every *.yaml/*.yml under a directory (or several such paths, as one rule set);
    raise RuleError listing all problems."""
    roots = [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    files: list[Path] = []
    for root in roots:
        if not root.exists():
            raise RuleError([f"{root}: no such file or directory"])
        found = yaml_files(root)
        if not found:
            raise RuleError([f"{root}: no rule files (*.yaml, *.yml) found"])
        files += [file for file in found if file not in files]
    loader = _Loader()
    for order, file in enumerate(files):
        loader.load_file(file, order)
    return loader.finish()


TEST_SUFFIXES = (".test.yaml", ".test.yml")  # rule tests (`rules test`) live beside the rules, not in them


def is_rule_test_file(path: Path) -> bool:
    return path.name.endswith(TEST_SUFFIXES)


def yaml_files(root: Path, *, tests: bool = False) -> list[Path]:
    """`root` itself when it is a file; else its rule files (`tests=False`) or its rule test files
    (`tests=True`), sorted, hidden files and folders skipped."""
    if root.is_file():
        return [root]
    found = []
    for file in root.rglob("*"):
        hidden = any(part.startswith(".") for part in file.relative_to(root).parts)  # editor/VCS droppings
        if (
            file.suffix in (".yaml", ".yml")
            and file.is_file()
            and not hidden
            and is_rule_test_file(file) == tests
        ):
            found.append(file)
    return sorted(found)


class YamlFileProblem(Exception):
    """A YAML file that cannot be read or parsed; `line` is where (None: the whole file)."""

    def __init__(self, line: int | None, text: str) -> None:
        super().__init__(text)
        self.line = line
        self.text = text


def read_yaml(path: Path) -> Any:
    """The file's round-trip YAML document (ruamel keeps positions for `file:line:` messages).

    Raises YamlFileProblem worded for the user: unreadable, or invalid YAML at a line.
    """
    try:
        return YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlFileProblem(None, f"cannot read file ({exc})") from exc
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = f" ({exc.context})" if exc.context else ""
        raise YamlFileProblem(
            mark.line + 1 if mark else None, f"invalid YAML: {exc.problem}{detail}"
        ) from exc
    except YAMLError as exc:
        raise YamlFileProblem(None, f"invalid YAML: {exc}") from exc


def validation_problems(
    exc: ValidationError, node: Any, line: int, where: str, model: type[BaseModel]
) -> list[tuple[int, str]]:
    """Each pydantic error of validating `node` (written at `line`, named `where`) as (line, message), the
    line followed into the YAML tree, the message in the words of a rule file."""
    found = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        if model in (ActorDef, StanceDef) and loc == ("id",):
            loc = ()  # an actor's or stance's id is its key, already named by `where`
        path = where + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
        found.append((_line_of(node, loc, line), f"{path.lstrip('.') or 'file'}: {_describe(err, model)}"))
    return found


@dataclass(frozen=True)
class _File:
    order: int  # position in the sorted file list, so messages read file by file
    name: str


@dataclass
class _Problem:
    file: _File
    line: int | None
    text: str

    def __str__(self) -> str:
        where = f"{self.file.name}:{self.line}" if self.line else self.file.name
        return f"{where}: {self.text}"


@dataclass
class _RuleRefs:
    file: _File
    where: str
    node: CommentedMap


class _Loader:
    """Collects definitions and problems over all files, then cross-checks ids and references."""

    def __init__(self) -> None:
        self.problems: list[_Problem] = []
        self.result = RuleSet()
        self.defined: dict[str, dict[str, str]] = {"actor": {}, "stance": {}, "rule": {}}  # id -> "file:line"
        self.refs: list[_RuleRefs] = []

    def error(self, f: _File, line: int | None, text: str) -> None:
        self.problems.append(_Problem(f, line, text))

    def load_file(self, path: Path, order: int) -> None:
        f = _File(order, str(path))
        try:
            doc = read_yaml(path)
        except YamlFileProblem as problem:
            self.error(f, problem.line, problem.text)
            return
        if doc is None:  # an empty file (or only comments) defines nothing, which is fine
            return
        if not isinstance(doc, CommentedMap):
            self.error(f, 1, f"expected a mapping with sections {', '.join(SECTIONS)} (got {_kind(doc)})")
            return
        for key in doc:
            if key not in SECTIONS:
                expected = ", ".join(SECTIONS)
                self.error(f, _key_line(doc, key), f"{key}: unknown section (expected one of: {expected})")
        self._load_named(f, doc, "actors", "actor", ActorDef, self.result.actors)
        self._load_named(f, doc, "stances", "stance", StanceDef, self.result.stances)
        self._load_rules(f, doc)

    def _load_named(
        self,
        f: _File,
        doc: CommentedMap,
        section: str,
        kind: str,
        model: type[ActorDef] | type[StanceDef],
        store: dict[str, Any],
    ) -> None:
        node = doc.get(section)
        if node is None:
            return
        if not isinstance(node, CommentedMap):
            got = _kind(node)
            self.error(f, _key_line(doc, section), f"{section}: expected a mapping of {kind} ids (got {got})")
            return
        for key, body in node.items():
            line = _key_line(node, key)
            where = f"{section}.{key}"
            fresh = self._define(f, line, kind, str(key), where)
            if body is None:
                body = CommentedMap()  # `russia:` with nothing under it: report the missing fields
            if not isinstance(body, CommentedMap):
                self.error(f, line, f"{where}: {_not_a_mapping(model, body)}")
                continue
            if "id" in body:  # the id is the key; an `id:` inside would silently disagree with it
                self.error(f, _key_line(body, "id"), f"{where}.id: {_unknown_field(model)}")
                continue
            try:
                item = model.model_validate({**_plain(body), "id": str(key)})
            except ValidationError as exc:
                self._report(f, exc, body, line, where, model)
                continue
            if fresh:
                store[item.id] = item

    def _load_rules(self, f: _File, doc: CommentedMap) -> None:
        node = doc.get("rules")
        if node is None:
            return
        if not isinstance(node, CommentedSeq):
            self.error(f, _key_line(doc, "rules"), f"rules: expected a list of rules (got {_kind(node)})")
            return
        for index, item in enumerate(node):
            line = int(node.lc.item(index)[0]) + 1
            where = f"rules[{index}]"
            if not isinstance(item, CommentedMap):
                self.error(f, line, f"{where}: {_not_a_mapping(RuleDef, item)}")
                continue
            fresh = True
            if isinstance(item.get("id"), str | int):
                fresh = self._define(f, _key_line(item, "id"), "rule", str(item["id"]), f"{where}.id")
            self.refs.append(_RuleRefs(f, where, item))
            data = _plain(item)
            for reserved in LOADER_FIELDS:  # set by the loader, never by the file
                if reserved in data:
                    self.error(f, _key_line(item, reserved), f"{where}.{reserved}: {_unknown_field(RuleDef)}")
                    del data[reserved]
            try:
                rule = RuleDef.model_validate({**data, "source_file": f.name, "source_line": line})
            except ValidationError as exc:
                self._report(f, exc, item, line, where, RuleDef)
                continue
            if fresh:
                self.result.rules.append(rule)

    def _define(self, f: _File, line: int, kind: str, ident: str, where: str) -> bool:
        """Record where an id is defined; report a duplicate and return False if it already was."""
        first = self.defined[kind].get(ident)
        if first is not None:
            self.error(f, line, f"{where}: duplicate {kind} id {_got(ident)} (first defined at {first})")
            return False
        self.defined[kind][ident] = f"{f.name}:{line}"
        return True

    def _report(
        self,
        f: _File,
        exc: ValidationError,
        node: CommentedMap,
        line: int,
        where: str,
        model: type[BaseModel],
    ) -> None:
        for at, text in validation_problems(exc, node, line, where, model):
            self.error(f, at, text)

    def finish(self) -> RuleSet:
        self._check_references()
        if self.problems:
            # Stable sort: file by file, line by line; a problem without a line (unreadable file) first.
            self.problems.sort(key=lambda p: (p.file.order, p.line or 0))
            raise RuleError([str(p) for p in self.problems])
        actors, stances = self.result.actors, self.result.stances
        for rule in self.result.rules:
            rule.actor_name = actors[rule.actor].name
            rule.target_name = actors[rule.target].name if rule.target else None
            rule.stance_label = stances[rule.stance].label
        return self.result

    def _check_references(self) -> None:
        # Known ids include definitions that failed validation, so one bad actor does not
        # also turn every rule that names it into an "unknown actor" error.
        for ref in self.refs:
            node = ref.node
            for name, kind in (("actor", "actor"), ("stance", "stance"), ("target", "actor")):
                value = node.get(name)
                known = self.defined[kind]
                if isinstance(value, str) and value not in known:
                    expected = ", ".join(sorted(known)) or f"none; define {kind}s in a `{kind}s` section"
                    problem = f"unknown {kind} (got {_got(value)}; expected one of: {expected})"
                    self.error(ref.file, _value_line(node, name), f"{ref.where}.{name}: {problem}")
            target = node.get("target")
            if isinstance(target, str) and target == node.get("actor"):
                self.error(
                    ref.file,
                    _value_line(node, "target"),
                    f"{ref.where}.target: the target is the rule's own actor "
                    f"(got {_got(target)}; expected another actor or no target)",
                )


# --- helpers: YAML positions and readable messages -------------------------------------------------


def _key_line(node: CommentedMap, key: Any) -> int:
    return int(node.lc.key(key)[0]) + 1  # ruamel counts from 0, editors from 1


def _value_line(node: CommentedMap, key: Any) -> int:
    return int(node.lc.value(key)[0]) + 1


def _line_of(node: Any, loc: tuple[int | str, ...], default: int) -> int:
    """Follow a pydantic error location into the YAML tree; the line of the deepest part found.

    A missing key (a required field, a model-level check) stays at the enclosing item's line.
    """
    line = default
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = _key_line(node, part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = int(node.lc.item(part)[0]) + 1
            node = node[part]
        else:
            break
    return line


def _plain(node: Any) -> Any:
    """ruamel's round-trip types (CommentedMap, ScalarFloat, ...) as plain Python for pydantic."""
    if isinstance(node, dict):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, ScalarBoolean):  # an int subclass, so before int
        return bool(node)
    for plain in (bool, str, float, int):
        if isinstance(node, plain):
            return plain(node)
    return node


def _not_a_mapping(model: type[BaseModel], value: object) -> str:
    required = [name for name in _YAML_FIELDS[model] if model.model_fields[name].is_required()]
    return f"expected a mapping with keys like {', '.join(required)} (got {_kind(value)})"


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    kind = {bool: "boolean", int: "number", float: "number"}.get(type(_plain(value)), "text")
    return f"{kind} {_got(_plain(value))}"


def _got(value: object) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _unknown_field(model: type[BaseModel]) -> str:
    fields = _YAML_FIELDS.get(model) or list(model.model_fields)  # other YAML models (rule tests) list all
    return f"unknown field (expected one of: {', '.join(fields)})"


def _model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel]:
    """The model class a pydantic error location points into (for "unknown field (expected one of: ...)")."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        nested = _find_model(info.annotation) if info is not None else None
        if nested is None:
            break
        current = nested
    return current


def _find_model(annotation: Any) -> type[BaseModel] | None:
    # list[X], X | None, Annotated[X, ...]: look inside the type's arguments.
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


_BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}


def _describe(err: ErrorDetails, model: type[BaseModel]) -> str:
    """One pydantic error as `what is wrong (got X)`, in the words of a rule file rather than Python."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_field(_model_at(model, err["loc"][:-1]))
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))  # our validators' own wording
    elif kind in _BOUNDS:
        name, symbol = _BOUNDS[kind]
        text = f"expected a number {symbol} {ctx[name]}"
    elif kind == "too_short" and isinstance(err["input"], list):
        text = f"expected at least {ctx.get('min_length', 1)} item"
    elif kind == "string_too_short":
        text = "expected non-empty text"
    else:
        text = err["msg"].replace("Input should be", "expected", 1)
    value = err["input"]
    # Point at the value the user wrote, but not at a whole mapping (a model-level check).
    if "(got " not in text and not isinstance(value, dict):
        text += f" (got {_got(value)})"
    return text


# --- JSON Schema for editors -----------------------------------------------------------------------


def rules_json_schema() -> dict[str, Any]:
    """The JSON Schema of one rule file, e.g. for `# yaml-language-server: $schema=...` in editors."""

    def body(model: type[BaseModel], drop: tuple[str, ...]) -> dict[str, Any]:
        schema = model.model_json_schema()
        for name, info in model.model_fields.items():
            if isinstance(info.default, timedelta):  # pydantic would write ISO 8601 ("P1D")
                schema["properties"][name]["default"] = _format_duration(info.default)
        for name in drop:
            schema["properties"].pop(name, None)
            if name in schema.get("required", []):
                schema["required"].remove(name)
        return schema

    def named(model: type[BaseModel], what: str) -> dict[str, Any]:
        return {
            "type": ["object", "null"],
            "description": f"{what}, keyed by id.",
            "propertyNames": {"pattern": _ID_PATTERN},
            "additionalProperties": body(model, ("id",)),
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stance-monitor rule file",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "actors": named(ActorDef, "Tracked actors"),
            "stances": named(StanceDef, "Stances"),
            "rules": {
                "type": ["array", "null"],
                "description": "Alert rules.",
                "items": body(RuleDef, LOADER_FIELDS),
            },
        },
    }


class RuleWatcher:
    """Polls rule files for edits, for `run` and the worker: `changed()` gives the new rule set once per edit.

    An edit that breaks the rules raises RuleError once; the caller keeps its previous rules and the next edit
    is tried again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp = rules_stamp(path)

    def changed(self) -> RuleSet | None:
        """The edited rule set, or None when nothing changed since the last call."""
        stamp = rules_stamp(self.path)
        if stamp == self.stamp:
            return None
        self.stamp = stamp
        return load_rules(self.path)


def rules_stamp(path: Path) -> tuple[tuple[str, float, int], ...]:
    """What changes when a rule file is edited, added or removed (names, mtimes, sizes): poll it to reload."""
    files = yaml_files(path)
    stamp = []
    for file in files:
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        stamp.append((str(file), info.st_mtime, info.st_size))
    return tuple(stamp)
