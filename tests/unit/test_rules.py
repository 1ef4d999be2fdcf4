"""Rule files: loading, defaults, filling examples, and error messages that say file:line."""

from __future__ import annotations

import json
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import MonitorError
from monitor.rules import (
    RuleError,
    RuleSet,
    RuleWatcher,
    load_rules,
    parse_duration,
    rules_json_schema,
)
from monitor.types import StanceKey

REPO = Path(__file__).resolve().parents[2]

ACTORS = """\
actors:
  russia:
    name: Russia
    aliases: [Russian, Moscow, Kremlin, Moscow]
  iran:
    name: Iran
    aliases: [Tehran]
  qatar:
    name: Qatar
"""

STANCES = """\
stances:
  mediation:
    label: offers mediation
    examples:
      - "{actor} offered to mediate"
      - "{actor} passed messages to {target}"
    counter_examples:
      - "{actor} ruled out mediating with {target}"
"""

RULE_FIELDS = (
    "id, title, actor, stance, target, direction, window, baseline, min_evidence, min_sources, "
    "cooldown, severity, channel, labels, alpha, min_ratio, enabled"
)


def write(base: Path, name: str, text: str) -> Path:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def rules_dir(tmp_path: Path, rules: str) -> Path:
    """A rules directory with the common actors and stances, plus `rules` as rules.yaml."""
    write(tmp_path, "actors.yaml", ACTORS)
    write(tmp_path, "stances.yaml", STANCES)
    write(tmp_path, "rules.yaml", rules)
    return tmp_path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules(path)
    return info.value.messages


# --- loading good files ------------------------------------------------------------------------------


def test_loads_a_directory_spread_across_files(tmp_path: Path) -> None:
    write(tmp_path, "a-actors.yaml", ACTORS)
    write(tmp_path, "nested/stances.yml", STANCES)
    write(
        tmp_path,
        "z-rules.yaml",
        """\
        # a comment first
        rules:
          - id: russia-mediates
            title: Russia offers mediation
            actor: russia
            stance: mediation
            target: iran
            direction: rise
            window: 1h30m
            severity: high
            channel: "#geo-alerts"
            labels: {region: mena, tier: 1}
        """,
    )
    write(tmp_path, "notes.txt", "not: [a rule file")  # ignored: not *.yaml/*.yml
    write(tmp_path, ".hidden.yaml", "broken: [")  # ignored: hidden

    rs = load_rules(tmp_path)

    assert list(rs.actors) == ["russia", "iran", "qatar"]
    # The name is added as an alias, the repeated "Moscow" dropped.
    assert rs.actors["russia"].aliases == ["Russia", "Russian", "Moscow", "Kremlin"]
    assert rs.actors["qatar"].aliases == ["Qatar"]  # no aliases key: the name alone
    assert rs.stances["mediation"].label == "offers mediation"
    [rule] = rs.rules
    assert rule.key == StanceKey("russia", "mediation", "iran")
    assert rule.window == timedelta(hours=1, minutes=30)
    assert rule.severity == "high"
    assert rule.channel == "#geo-alerts"
    assert rule.labels == {"region": "mena", "tier": "1"}
    assert rule.source_file == str(tmp_path / "z-rules.yaml")
    assert rule.source_line == 3


def test_a_single_file_with_all_sections(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "all.yaml",
        ACTORS + STANCES + "rules:\n  - {id: r, title: R, actor: iran, stance: mediation, direction: fall}\n",
    )
    rs = load_rules(path)
    assert [r.id for r in rs.rules] == ["r"]
    assert rs.rules[0].direction == "fall"


def test_a_rule_with_only_required_fields_gets_the_defaults(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - id: minimal
            title: Minimal
            actor: russia
            stance: mediation
            direction: rise
        """,
    )
    rule = load_rules(path).rule("minimal")
    assert rule.target is None
    assert rule.window == timedelta(hours=24)
    assert rule.baseline == timedelta(days=14)
    assert rule.min_evidence == 3
    assert rule.min_sources == 2
    assert rule.cooldown == timedelta(hours=72)
    assert rule.severity == "medium"
    assert rule.channel is None
    assert rule.labels == {}
    assert rule.alpha == 0.001
    assert rule.min_ratio == 3.0
    assert rule.enabled is True


def test_default_min_sources_is_lowered_to_a_smaller_min_evidence(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - {id: r, title: R, actor: russia, stance: mediation, direction: rise, min_evidence: 1}
        """,
    )
    assert load_rules(path).rule("r").min_sources == 1


def test_examples_for_fills_actor_and_target(tmp_path: Path) -> None:
    rs = load_rules(rules_dir(tmp_path, ""))
    examples, counter = rs.examples_for(StanceKey("russia", "mediation", "iran"))
    assert examples == ["Russia offered to mediate", "Russia passed messages to Iran"]
    assert counter == ["Russia ruled out mediating with Iran"]
    # No target: {target} reads as "the other side".
    examples, counter = rs.examples_for(StanceKey("qatar", "mediation"))
    assert examples == ["Qatar offered to mediate", "Qatar passed messages to the other side"]
    assert counter == ["Qatar ruled out mediating with the other side"]


def test_keys_are_distinct_enabled_and_in_rule_order(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - {id: a, title: A, actor: qatar, stance: mediation, direction: rise}
          - {id: b, title: B, actor: russia, stance: mediation, target: iran, direction: rise}
          - {id: c, title: C, actor: qatar, stance: mediation, direction: fall}
          - {id: d, title: D, actor: iran, stance: mediation, direction: rise, enabled: false}
        """,
    )
    rs = load_rules(path)
    assert rs.keys() == [StanceKey("qatar", "mediation"), StanceKey("russia", "mediation", "iran")]
    assert rs.rule("d").enabled is False
    with pytest.raises(KeyError, match="unknown rule 'nope'"):
        rs.rule("nope")


def test_describe_counts_only_active_rules_and_says_how_many_are_disabled(tmp_path: Path) -> None:
    one = "rules:\n  - {id: a, title: A, actor: qatar, stance: mediation, direction: rise}\n"
    assert load_rules(rules_dir(tmp_path / "one", one)).describe() == "1 active rule"
    two = one + "  - {id: b, title: B, actor: iran, stance: mediation, direction: rise, enabled: false}\n"
    rs = load_rules(rules_dir(tmp_path / "two", two))
    assert [r.id for r in rs.active()] == ["a"]
    assert rs.describe() == "1 active rule (1 disabled)"


def test_the_watcher_gives_each_edit_once_and_a_broken_edit_raises_once(tmp_path: Path) -> None:
    rule = "rules:\n  - {id: a, title: A, actor: qatar, stance: mediation, direction: rise}\n"
    path = rules_dir(tmp_path, rule)
    watcher = RuleWatcher(path)
    assert watcher.changed() is None  # nothing edited since it started
    write(path, "rules.yaml", rule.replace("title: A", "title: Edited title"))
    edited = watcher.changed()
    assert edited is not None and edited.rule("a").title == "Edited title"
    assert watcher.changed() is None
    write(path, "rules.yaml", rule.replace("direction: rise", "direction: sideways"))
    with pytest.raises(RuleError, match="direction"):
        watcher.changed()
    assert watcher.changed() is None  # the broken edit is reported once, not on every poll
    write(path, "rules.yaml", rule)
    write(
        path, "extra.yaml", "rules:\n  - {id: b, title: B, actor: iran, stance: mediation, direction: fall}\n"
    )
    fixed = watcher.changed()  # the next edit is tried again; an added file is an edit too
    assert fixed is not None and sorted(r.id for r in fixed.rules) == ["a", "b"]


def test_an_empty_file_defines_nothing(tmp_path: Path) -> None:
    write(tmp_path, "empty.yaml", "# nothing here yet\n")
    assert load_rules(tmp_path) == RuleSet()


# --- errors: file:line: where: what (got X; expected Y) ----------------------------------------------


def test_unknown_field(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - id: r
            title: R
            actor: russia
            stance: mediation
            direction: rise
            windw: 24h
        """,
    )
    expected = f"{path}/rules.yaml:7: rules[0].windw: unknown field (expected one of: {RULE_FIELDS})"
    assert errors_of(path) == [expected]


def test_bad_duration(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - {id: a, title: A, actor: russia, stance: mediation, direction: rise}
          - {id: b, title: B, actor: russia, stance: mediation, direction: rise}
          - id: c
            title: C
            actor: russia
            stance: mediation
            direction: rise
            window: tomorrow
            baseline: 0s
        """,
    )
    assert errors_of(path) == [
        f'{path}/rules.yaml:9: rules[2].window: expected a duration like 24h (got "tomorrow")',
        f'{path}/rules.yaml:10: rules[2].baseline: expected a positive duration like 24h (got "0s")',
    ]


def test_bad_choice_and_bounds(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - id: r
            title: R
            actor: russia
            stance: mediation
            direction: up
            severity: urgent
            alpha: 0.7
            min_ratio: 0.5
            min_evidence: three
        """,
    )
    f = f"{path}/rules.yaml"
    assert errors_of(path) == [
        f"{f}:6: rules[0].direction: expected 'rise' or 'fall' (got \"up\")",
        f"{f}:7: rules[0].severity: expected 'info', 'low', 'medium', 'high' or 'critical' (got \"urgent\")",
        f"{f}:8: rules[0].alpha: expected a number < 0.5 (got 0.7)",
        f"{f}:9: rules[0].min_ratio: expected a number >= 1.0 (got 0.5)",
        f"{f}:10: rules[0].min_evidence: expected a valid integer, unable to parse string as an integer "
        '(got "three")',
    ]


def test_missing_required_field_points_at_the_rule(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - id: r
            actor: russia
            stance: mediation
        """,
    )
    assert errors_of(path) == [
        f"{path}/rules.yaml:2: rules[0].title: required field is missing",
        f"{path}/rules.yaml:2: rules[0].direction: required field is missing",
    ]


def test_explicit_min_sources_above_min_evidence(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - {id: r, title: R, actor: russia, stance: mediation, direction: rise,
             min_evidence: 2, min_sources: 3}
        """,
    )
    assert errors_of(path) == [
        f"{path}/rules.yaml:2: rules[0]: min_sources cannot exceed min_evidence "
        "(got min_sources 3, min_evidence 2)"
    ]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    rules_dir(
        tmp_path,
        """\
        rules:
          - {id: r, title: R, actor: russia, stance: mediation, direction: rise}
        """,
    )
    write(
        tmp_path,
        "z-more.yaml",  # sorted last, so its ids are the repeats
        """\
        actors:
          iran: {name: Iran}
        stances:
          mediation: {label: m, examples: ["{actor} mediates"]}
        rules:
          - {id: r, title: Again, actor: iran, stance: mediation, direction: rise}
        """,
    )
    f = tmp_path / "z-more.yaml"
    assert errors_of(tmp_path) == [
        f'{f}:2: actors.iran: duplicate actor id "iran" (first defined at {tmp_path}/actors.yaml:5)',
        f'{f}:4: stances.mediation: duplicate stance id "mediation" '
        f"(first defined at {tmp_path}/stances.yaml:2)",
        f'{f}:6: rules[0].id: duplicate rule id "r" (first defined at {tmp_path}/rules.yaml:2)',
    ]


def test_unknown_references_list_the_known_ids(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - id: r
            title: R
            actor: russsia
            stance: mediaton
            target: irn
            direction: rise
          - {id: s, title: S, actor: iran, stance: mediation, target: iran, direction: rise}
        """,
    )
    f = f"{path}/rules.yaml"
    assert errors_of(path) == [
        f'{f}:4: rules[0].actor: unknown actor (got "russsia"; expected one of: iran, qatar, russia)',
        f'{f}:5: rules[0].stance: unknown stance (got "mediaton"; expected one of: mediation)',
        f'{f}:6: rules[0].target: unknown actor (got "irn"; expected one of: iran, qatar, russia)',
        f"{f}:8: rules[1].target: the target is the rule's own actor "
        '(got "iran"; expected another actor or no target)',
    ]


def test_yaml_syntax_error_has_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        rules:
          - id: r
            title: "unclosed
            actor: russia
        """,
    )
    [message] = errors_of(path)
    assert message.startswith(f"{path}:5: invalid YAML: found unexpected end of stream")


def test_duplicate_key_in_one_file_is_a_yaml_error(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", "actors:\n  iran: {name: Iran}\n  iran: {name: Iran again}\n")
    [message] = errors_of(path)
    assert message.startswith(f'{path}:3: invalid YAML: found duplicate key "iran"')


def test_empty_alias_list(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "actors:\n  iran:\n    name: Iran\n    aliases: []\n")
    assert errors_of(path) == [
        f"{path}:4: actors.iran.aliases: expected at least one alias, "
        "or leave `aliases` out to use the name alone (got [])"
    ]


def test_blank_alias_points_at_the_item(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", "actors:\n  iran:\n    name: Iran\n    aliases:\n      - Tehran\n      - ''\n"
    )
    assert errors_of(path) == [f'{path}:6: actors.iran.aliases[1]: expected non-empty text (got "")']


def test_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "- russia\n- iran\n")
    expected = f"{path}:1: expected a mapping with sections actors, stances, rules (got a list)"
    assert errors_of(path) == [expected]


def test_unknown_section_and_wrong_section_types(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "actors: [russia]\nrules:\n  id: r\nrulez: []\n")
    assert errors_of(path) == [
        f"{path}:1: actors: expected a mapping of actor ids (got a list)",
        f"{path}:2: rules: expected a list of rules (got a mapping)",
        f"{path}:4: rulez: unknown section (expected one of: actors, stances, rules)",
    ]


def test_items_that_are_not_mappings(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "actors:\n  iran: Tehran\nrules:\n  - just text\n")
    assert errors_of(path) == [
        f'{path}:2: actors.iran: expected a mapping with keys like name (got text "Tehran")',
        f"{path}:4: rules[0]: expected a mapping with keys like id, title, actor, stance, direction "
        '(got text "just text")',
    ]


def test_unknown_placeholder_in_an_example(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        """\
        stances:
          mediation:
            label: offers mediation
            examples:
              - "{actor} offered to mediate"
              - "{actor} said {country} should talk"
        """,
    )
    assert errors_of(path) == [
        f"{path}:6: stances.mediation.examples[1]: unknown placeholder {{country}} "
        '(got "{actor} said {country} should talk"; expected {actor} or {target})'
    ]


def test_stance_needs_an_example_and_an_id_may_not_be_repeated_inside(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "stances:\n  m:\n    label: m\n    examples: []\n  n:\n    id: n\n")
    assert errors_of(path) == [
        f"{path}:4: stances.m.examples: expected at least 1 item (got [])",
        f"{path}:6: stances.n.id: unknown field (expected one of: label, examples, counter_examples)",
    ]


def test_loader_fields_cannot_be_set_from_yaml(tmp_path: Path) -> None:
    path = rules_dir(
        tmp_path,
        """\
        rules:
          - {id: r, title: R, actor: russia, stance: mediation, direction: rise,
             source_line: 99}
        """,
    )
    assert errors_of(path) == [
        f"{path}/rules.yaml:3: rules[0].source_line: unknown field (expected one of: {RULE_FIELDS})"
    ]


def test_all_problems_are_reported_at_once_in_file_and_line_order(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "actors:\n  iran:\n    name: Iran\n    aliases: []\nbogus: 1\n")
    write(tmp_path, "b.yaml", "rules: [\n")
    write(
        tmp_path,
        "c.yaml",
        """\
        rules:
          - id: r
            title: R
            actor: russia
            stance: mediation
            direction: sideways
        """,
    )
    messages = errors_of(tmp_path)
    assert [m.split(": ")[0] for m in messages] == [
        f"{tmp_path}/a.yaml:4",
        f"{tmp_path}/a.yaml:5",
        f"{tmp_path}/b.yaml:2",
        f"{tmp_path}/c.yaml:4",  # unknown actor (iran is defined, even though invalid)
        f"{tmp_path}/c.yaml:5",  # unknown stance
        f"{tmp_path}/c.yaml:6",  # direction
    ]
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    assert str(info.value) == "\n".join(messages)
    assert isinstance(info.value, MonitorError)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == [f"{tmp_path}/nope: no such file or directory"]
    assert errors_of(tmp_path) == [f"{tmp_path}: no rule files (*.yaml, *.yml) found"]


# --- durations ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("24h", timedelta(hours=24)),
        ("14d", timedelta(days=14)),
        ("2w", timedelta(weeks=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("3600s", timedelta(hours=1)),
        ("1d12h", timedelta(hours=36)),
        ("0s", timedelta(0)),
        (3600, timedelta(hours=1)),
    ],
)
def test_parse_duration(text: str | int, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "24", "h", "1.5h", "30m1h", "-1h", "1y", "24H", -5, True])
def test_parse_duration_rejects(text: str | int) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


# --- shipped rules and schema -------------------------------------------------------------------------


def test_shipped_rules_load_cleanly() -> None:
    rs = load_rules(REPO / "rules")
    rule = rs.rule("russia-offers-mediation")
    assert rule.title == "Russia offers mediation"
    assert rule.key == StanceKey("russia", "mediation")
    assert (rule.direction, rule.severity, rule.channel) == ("rise", "high", "#geo-alerts")
    assert rule.labels == {"region": "mena"}
    assert any(r.target for r in rs.rules)
    assert any(r.direction == "fall" for r in rs.rules)
    keys = rs.keys()
    for key in keys:  # every rule's examples fill without leftover placeholders
        examples, counter = rs.examples_for(key)
        assert examples
        assert not any("{" in text for text in examples + counter)


def test_json_schema_describes_a_rule_file() -> None:
    schema = rules_json_schema()
    json.dumps(schema)  # serialisable as is
    assert set(schema["properties"]) == {"actors", "stances", "rules"}
    assert schema["additionalProperties"] is False
    rule = schema["properties"]["rules"]["items"]
    assert rule["required"] == ["id", "title", "actor", "stance", "direction"]
    assert "source_file" not in rule["properties"]
    assert rule["properties"]["window"]["default"] == "1d"
    assert schema["properties"]["actors"]["additionalProperties"]["required"] == ["name"]


def test_shipped_rule_files_match_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = rules_json_schema()
    for path in sorted((REPO / "rules").glob("*.yaml")):
        if path.name.endswith(".test.yaml"):  # rule tests (`rules test`), not rule files
            continue
        jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(path.read_text()))), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rules": [{"id": "r", "windw": "1h"}]}, schema)
    rule = {"id": "r", "title": "R", "actor": "a", "stance": "s", "direction": "rise"}
    jsonschema.validate({"rules": [{**rule, "window": "1h30m", "cooldown": 0}]}, schema)
    for window in ("", 0):  # what the loader refuses, the editor is told about too
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"rules": [{**rule, "window": window}]}, schema)
