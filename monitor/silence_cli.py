"""`stance-monitor silence add|list|expire`: edit the silences file that `run` and the worker reload."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from monitor.console import err, or_exit
from monitor.rules import parse_duration
from monitor.silences import Silence, load_silences, save_silences
from monitor.types import iso_utc, parse_utc

silence_app = typer.Typer(
    no_args_is_help=True, help="Mute the notifications of matching alerts for a while (see docs/rules.md)."
)
out = Console(soft_wrap=True)

SilencesFile = Annotated[
    Path,
    typer.Option("--file", "-f", envvar="STANCE_MONITOR_SILENCES", help="The silences file (YAML)."),
]


def _load(path: Path) -> list[Silence]:
    return or_exit(lambda: load_silences(path))


def _moment(text: str, option: str) -> datetime:
    if text == "now":
        return datetime.now(UTC)
    try:
        return parse_utc(text)
    except ValueError as exc:
        err.print(f"{option}: not a time with a zone (got {text!r}; e.g. 2025-03-01T00:00:00Z or now)")
        raise typer.Exit(2) from exc


@silence_app.command("add")
def add(
    match: Annotated[
        list[str],
        typer.Option(
            "--match",
            "-m",
            help="FIELD=VALUE, repeatable; FIELD is rule, actor, stance, target, severity, channel or "
            "label.NAME; VALUE may be a pattern (russia-*).",
        ),
    ],
    file: SilencesFile = Path("silences.yaml"),
    start: Annotated[str, typer.Option(help="Event time it starts (RFC 3339 or now).")] = "now",
    end: Annotated[
        str | None, typer.Option(help="Event time it ends (RFC 3339); default start + --for.")
    ] = None,
    duration: Annotated[
        str, typer.Option("--for", help="How long, e.g. 2h, 3d (when --end is not given).")
    ] = "2h",
    comment: Annotated[str, typer.Option(help="Why: shown by `silence list`.")] = "",
    by: Annotated[str | None, typer.Option(help="Who (default: the user name).")] = None,
) -> None:
    """Add a silence; prints its id."""
    matchers: dict[str, str] = {}
    for item in match:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            err.print(f"--match: expected FIELD=VALUE (got {item!r})")
            raise typer.Exit(2)
        matchers[name.strip()] = value.strip()
    starts_at = _moment(start, "--start")
    try:
        ends_at = _moment(end, "--end") if end is not None else starts_at + parse_duration(duration)
    except ValueError as exc:
        err.print(f"--for: {exc}")
        raise typer.Exit(2) from exc
    try:
        silence = Silence(
            matchers=matchers,
            starts_at=starts_at,
            ends_at=ends_at,
            comment=comment,
            created_by=by if by is not None else getpass.getuser(),
        )
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            message = str(problem["msg"]).removeprefix("Value error, ")
            err.print(f"silence: {message}", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    save_silences(file, [*_load(file), silence])
    out.print(silence.id, highlight=False)
    err.print(f"{file}: silence {silence.id} until {iso_utc(silence.ends_at)}", highlight=False)


@silence_app.command("list")
def list_(
    file: SilencesFile = Path("silences.yaml"),
    show_all: Annotated[bool, typer.Option("--all", help="Include expired silences.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    at: Annotated[str, typer.Option(help="Judge active/expired at this time (RFC 3339 or now).")] = "now",
) -> None:
    """List the silences in force or to come (and expired ones with --all)."""
    now = _moment(at, "--at")
    shown = [s for s in _load(file) if show_all or s.state(now) != "expired"]
    if as_json:
        for silence in shown:
            out.print(json.dumps({**silence.to_yaml(), "state": silence.state(now)}), highlight=False)
        return
    for s in shown:  # one line per silence, never wrapped (people grep it)
        matchers = " ".join(f"{k}={v}" for k, v in s.matchers.items())
        span = f"{iso_utc(s.starts_at)} .. {iso_utc(s.ends_at)}"
        note = f"  # {s.comment}" if s.comment else ""
        out.print(
            f"{s.id}  {s.state(now):<7}  {span}  {matchers}  by {s.created_by or '?'}{note}",
            markup=False,
            highlight=False,
        )


@silence_app.command("expire")
def expire(
    silence_id: Annotated[str, typer.Argument(help="The id `silence add` printed.")],
    file: SilencesFile = Path("silences.yaml"),
) -> None:
    """End a silence now (it stays in the file as expired, for the record)."""
    silences = _load(file)
    now = datetime.now(UTC)
    for index, silence in enumerate(silences):
        if silence.id == silence_id:
            ends_at = min(silence.ends_at, now.replace(microsecond=0))
            starts_at = min(silence.starts_at, ends_at - timedelta(seconds=1))  # a pending one never starts
            silences[index] = silence.model_copy(update={"starts_at": starts_at, "ends_at": ends_at})
            save_silences(file, silences)
            err.print(f"{file}: silence {silence_id} expired", highlight=False)
            return
    known = ", ".join(s.id for s in silences) or "none"
    err.print(f"{file}: no silence {silence_id!r} (known: {known})")
    raise typer.Exit(1)
