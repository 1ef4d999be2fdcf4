"""`stance-monitor explain`: what the pipeline makes of one article (or sentence) against a rule set.

For each sentence that names a tracked actor: the actors and the aliases that matched, and for each of the
rule set's stance keys on those actors the judgement, its probabilities and why (the engine of
`classify --explain`, monitor/explain.py). Then for each enabled rule: which sentence would stand for the
article (the strongest for the rule's key, as the pipeline picks it), whether it counts as evidence for the
rule's direction and, with the state of a running `run` (`--state`), where the rule's detector stands at
the article's time: the window's evidence against `min_evidence` and `min_sources`, and the rate test.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from monitor.articles import Article
from monitor.explain import explain
from monitor.pipeline import Pipeline
from monitor.rules import RuleDef
from monitor.types import iso_utc


def explain_article(pipeline: Pipeline, article: Article, *, why: bool = True) -> dict[str, Any]:
    """A JSON-ready report: the article's sentences and judgements, then what each enabled rule makes of it."""
    scoring = pipeline.scoring
    scorer = scoring.scorer
    _, sentences = scoring.sentences(article)
    prepared = scorer.prepare(sentences)
    keys = scoring.keys
    judged = scorer.judge(prepared, keys)
    report_sentences = []
    for sentence, rows in zip(prepared, judged, strict=True):
        named = {m.actor_id for m in sentence.mentions}
        judgements = []
        for key, judgement in zip(keys, rows, strict=True):
            if key.actor not in named:
                continue
            entry: dict[str, Any] = {
                "actor": key.actor,
                "stance": key.stance,
                "target": key.target,
                "label": judgement.label,
                "p_expresses": round(judgement.p_expresses, 4),
                "p_denies": round(judgement.p_denies, 4),
            }
            if why:
                entry["why"] = explain(scorer, sentence, key)
            judgements.append(entry)
        report_sentences.append(
            {
                "text": sentence.text,
                "actors": {
                    actor: sorted({m.alias for m in sentence.mentions if m.actor_id == actor})
                    for actor in sorted(named)
                },
                "judgements": judgements,
            }
        )
    # the verdicts from the judgements above, as ArticleScorer.score makes them (no second parse)
    verdicts = {v.key: v for vs in scoring.verdicts(sentences, prepared, judged).values() for v in vs}
    rules = [
        _rule_report(pipeline, rule, verdicts.get(rule.key), article.published_at)
        for rule in pipeline.detection.active_rules
    ]
    return {
        "article": article.id,
        "published_at": iso_utc(article.published_at),
        "sentences": report_sentences,
        "rules": rules,
    }


def _rule_report(pipeline: Pipeline, rule: RuleDef, verdict: Any, at: datetime) -> dict[str, Any]:
    evidence_label = "expresses" if rule.direction == "rise" else "denies"
    out: dict[str, Any] = {"rule": rule.id, "direction": rule.direction, "needs": evidence_label}
    if verdict is None:
        out["counts"] = False
        out["why"] = f"no sentence names {rule.actor_name or rule.actor}"
        return out
    out["counts"] = verdict.label == evidence_label
    out["sentence"] = verdict.quote
    out["label"] = verdict.label
    out["score"] = round(verdict.score, 4)
    out["why"] = f"its strongest sentence is judged {verdict.label}: " + (
        "one more story of evidence" if out["counts"] else f"not evidence for a {rule.direction} rule"
    )
    detection = pipeline.detection.actors.get(rule.actor)
    detector = detection.detectors.get(rule.id) if detection else None
    if detector is not None:
        stats = detector.counts_at(at)
        out["detector"] = {
            "at": iso_utc(at),
            "window_evidence": stats.window_count,
            "min_evidence": rule.min_evidence,
            "window_sources": stats.window_sources,
            "min_sources": rule.min_sources,
            "window_stories": stats.window_total,
            "baseline_evidence": stats.baseline_count,
            "baseline_stories": stats.baseline_total,
            "p_value": stats.p_value,
            "alpha": rule.alpha,
            "rate_ratio": round(stats.rate_ratio, 3),
            "min_ratio": rule.min_ratio,
            "in_episode": detector.active_episode,
        }
    return out


def render(report: dict[str, Any]) -> list[str]:
    """The report as lines for a terminal."""
    lines = [f"article {report['article']} ({report['published_at']})"]
    for sentence in report["sentences"]:
        lines.append(f"  sentence: {sentence['text']}")
        actors = ", ".join(f"{a} ({', '.join(aliases)})" for a, aliases in sentence["actors"].items())
        lines.append(f"    actors: {actors}")
        for j in sentence["judgements"]:
            key = f"{j['actor']} / {j['stance']}" + (f" -> {j['target']}" if j["target"] else "")
            lines.append(f"    {key}: {j['label']} (P expresses {j['p_expresses']}, denies {j['p_denies']})")
            why = j.get("why", {})
            if why.get("role"):
                cues = ", ".join(why.get("cues", [])) or "none"
                lines.append(f"      role {why['role']}, predicate {why.get('predicate')!r}, cues: {cues}")
            if "nearest_example" in why:
                lines.append(
                    f"      nearest example ({why['nearest_example']['similarity']}): {why['nearest_example']['text']}"
                )
    if not report["sentences"]:
        lines.append("  no sentence names a tracked actor")
    for rule in report["rules"]:
        mark = "counts" if rule["counts"] else "does not count"
        lines.append(f"  rule {rule['rule']} ({rule['direction']}): {mark}; {rule['why']}")
        d = rule.get("detector")
        if d:
            lines.append(
                f"      detector at {d['at']}: {d['window_evidence']} of {d['min_evidence']} stories of evidence, "
                f"{d['window_sources']} of {d['min_sources']} outlets in the window; baseline "
                f"{d['baseline_evidence']} of {d['baseline_stories']}; p {d['p_value']:.3g} (alpha {d['alpha']}), "
                f"ratio {d['rate_ratio']} (min {d['min_ratio']})"
                + ("; in an episode" if d["in_episode"] else "")
            )
    return lines
