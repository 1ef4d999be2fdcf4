"""A labelled timeline in a new domain: a national election in the fictional Republic of Valdoria (2025).

    python -m scripts.domains.elections OUT_DIR

Written in this order: the stance definitions and the rules (RULES_YAML), then the sentence templates, then
the schedule. The templates never copy a rule example. House style: a national broadcaster's election desk:
short reports, many quotes, party spokespeople, polling and court reporting. Synthetic, invented text.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scripts.domains.common import Article, Key, Line, write_timeline

SEED = 20250301
START = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 48
ELECTION_DAY = 30

# -- 1. definitions and rules, written first ----------------------------------------------------------
# concede: the party accepts that it lost the vote.
# recount: the party formally demands that ballots be counted again.
# coalition: the party agrees to, or negotiates, governing together with the target party.
# boycott: the party refuses to take part in the vote, or withdraws its candidates.
# certify: the electoral body declares the official result valid.
# criticise_commission: the party attacks the conduct or fairness of the electoral body.
RULES_YAML = """\
# Valdoria election desk (synthetic). Stances written from one-line definitions before any sentence.
actors:
  civic:
    name: "Civic Alliance"
    aliases: ["Civic Alliance", "Civic", "Ilse Marken", "Marken"]
  labour:
    name: "Labour Front"
    aliases: ["Labour Front", "Labour", "Tomas Brell", "Brell"]
  greens:
    name: "Green Union"
    aliases: ["Green Union", "Greens", "Anja Sorel", "Sorel"]
  commission:
    name: "Electoral Commission"
    aliases: ["Electoral Commission", "Commission", "Pieter Vos"]
  farmers:
    name: "Farmers' League"
    aliases: ["Farmers' League", "League", "Odo Raskin", "Raskin"]
stances:
  concede:
    label: "concedes defeat"
    examples:
      - "{actor} conceded defeat in the election"
      - "{actor} accepted that it had lost the vote"
      - "{actor} congratulated the winners and admitted it lost"
      - "The leader of {actor} said the party would go into opposition after the loss"
    counter_examples:
      - "{actor} refused to concede the election"
      - "{actor} said it did not accept the result"
      - "{actor} insisted it had not lost the vote"
  recount:
    label: "demands a recount"
    examples:
      - "{actor} demanded a recount of the ballots"
      - "{actor} formally requested that the votes be counted again"
      - "{actor} filed a petition for a new count in several districts"
      - "{actor} said every ballot must be recounted"
    counter_examples:
      - "{actor} said it would not seek a recount"
      - "{actor} withdrew its request for a recount"
      - "{actor} ruled out challenging the count"
  coalition:
    label: "pursues a coalition"
    examples:
      - "{actor} agreed to form a coalition with {target}"
      - "{actor} opened coalition talks with {target}"
      - "{actor} said it was ready to govern together with {target}"
      - "{actor} signed a coalition agreement with {target}"
    counter_examples:
      - "{actor} ruled out a coalition with {target}"
      - "{actor} broke off coalition talks with {target}"
      - "{actor} said it would never govern with {target}"
  boycott:
    label: "boycotts the vote"
    examples:
      - "{actor} announced it would boycott the election"
      - "{actor} withdrew all its candidates from the ballot"
      - "{actor} called on its voters to stay at home"
      - "{actor} said it would not take part in the vote"
    counter_examples:
      - "{actor} said it would contest the election"
      - "{actor} rejected calls for a boycott"
      - "{actor} confirmed its candidates would stand"
  certify:
    label: "certifies the result"
    examples:
      - "{actor} certified the official result of the election"
      - "{actor} declared the final count valid"
      - "{actor} published the certified results"
      - "{actor} confirmed the outcome of the vote"
    counter_examples:
      - "{actor} delayed certifying the result"
      - "{actor} said it could not yet confirm the outcome"
      - "{actor} suspended the certification of the vote"
  criticise_commission:
    label: "criticises the electoral body"
    examples:
      - "{actor} accused {target} of mismanaging the vote"
      - "{actor} said {target} had failed voters"
      - "{actor} attacked {target} over irregularities"
      - "{actor} questioned the impartiality of {target}"
    counter_examples:
      - "{actor} defended {target}"
      - "{actor} said it had full confidence in {target}"
      - "{actor} praised the work of {target}"
rules:
  - {id: civic-demands-recount, title: "Civic Alliance demands a recount", actor: civic, stance: recount,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: labour-coalition-greens, title: "Labour pursues a coalition with the Greens", actor: labour,
     stance: coalition, target: greens, direction: rise, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: greens-coalition-civic-fall, title: "Greens turn away from a coalition with Civic", actor: greens,
     stance: coalition, target: civic, direction: fall, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: commission-certifies, title: "Electoral Commission certifies the result", actor: commission,
     stance: certify, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: info}
  - {id: civic-criticises-commission, title: "Civic attacks the Electoral Commission", actor: civic,
     stance: criticise_commission, target: commission, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: medium}
  - {id: farmers-boycott, title: "Farmers' League boycotts the vote", actor: farmers, stance: boycott,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: labour-concedes, title: "Labour concedes", actor: labour, stance: concede, direction: rise,
     window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: low}
  - {id: civic-concedes, title: "Civic concedes", actor: civic, stance: concede, direction: rise,
     window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: low}
"""

# -- 2. templates (own wording; {A} actor alias, {T} target alias, {X} another tracked actor) ----------
# expresses / denies templates are labelled for the key; "none" templates name the actor without its stance.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "recount": {
        "expresses": [
            "{A} lodged a formal challenge asking for the ballots in the capital to be counted a second time.",
            "A second count of the disputed districts was requested by {A} on {day}.",
            "{A}'s demand for a full recount reached the Commission late on {day}.",
            '"We want every vote checked again," a spokesman for {A} told reporters.',
            "{A} said on {day} it had asked for a hand count in 14 constituencies.",
            "The recount petition filed by {A} names 14 constituencies.",
            "Lawyers for {A} submitted papers seeking a fresh tally of the vote.",
        ],
        "denies": [
            "{A} said it saw no grounds to ask for the ballots to be counted again.",
            "{A} dropped its bid for a second count on {day}.",
            "A spokesman said {A} would not contest the tally.",
            "{A} dismissed reports that it was preparing a recount petition.",
        ],
        "none": [
            "Analysts said {A} could still ask for a recount if the margin narrows.",
            "Would {A} go to court over the count?",
            "Supporters urged {A} to demand that the ballots be counted again.",
            "People close to the party said {A} was weighing a challenge, though nothing was filed.",
            "In 2019, {A} forced a recount in two districts.",
            "{X} accused {A} of plotting to delay the count.",
            "The Commission said any party, {A} included, has seven days to request a recount.",
        ],
    },
    "coalition": {
        "expresses": [
            "{A} and {T} began formal talks on a joint government on {day}.",
            "Negotiators from {A} met their counterparts from {T} to draft a governing programme.",
            "{A} told its members it would seek a governing pact with {T}.",
            "A partnership with {T} was endorsed by {A}'s executive on {day}.",
            "{A}'s offer of a coalition to {T} was welcomed by business groups.",
            '"We are ready to govern alongside {T}," the leader of {A} said.',
            "{A} confirmed it remained open to sharing power with {T}.",
        ],
        "denies": [
            "{A} closed the door on any governing deal with {T}.",
            "{A} said a pact with {T} was out of the question.",
            "Talks between {A} and {T} were called off by {A} on {day}.",
            "{A}'s refusal to partner with {T} surprised commentators.",
            "{A} has no intention of entering government with {T}, a spokeswoman said.",
        ],
        "none": [
            "Commentators expect {A} to court {T} after the vote.",
            "{T} called on {A} to open talks on a joint government.",
            "Could {A} and {T} govern together?",
            "A coalition between {A} and {T} would hold a narrow majority, pollsters said.",
            "{A} governed with {T} in the 2010s before a bitter split.",
            "{X} said a deal between {A} and {T} would be a betrayal of voters.",
        ],
    },
    "certify": {
        "expresses": [
            "The official results were confirmed by {A} on {day}.",
            "{A} declared the count final and valid after a night of checks.",
            "{A}'s certification of the vote cleared the way for parliament to meet.",
            "{A} published the binding results on its website on {day}.",
            '"The outcome is now official," {A} chairman Pieter Vos said.',
        ],
        "denies": [
            "{A} postponed the certification of the results pending checks.",
            "{A} said it was not in a position to confirm the final tally.",
            "The certification was put on hold by {A} on {day}.",
        ],
        "none": [
            "{X} urged {A} to certify the results without delay.",
            "{A} is expected to certify the vote within ten days, officials said.",
            "When will {A} confirm the result?",
            "{A} certified the last election in 2021 after eight days.",
            "{A} said it had received 412 complaints from observers.",
            "Observers praised the calm at polling stations and the work of {A} staff.",
        ],
    },
    "criticise_commission": {
        "expresses": [
            "{A} blasted {T} for its handling of postal ballots.",
            "{A} said the {T} had lost control of the count in the north.",
            "The {T} was accused by {A} of bias on {day}.",
            "{A}'s attacks on the {T} grew sharper on {day}.",
            '"The {T} has failed the people of Valdoria," a senior figure in {A} said.',
        ],
        "denies": [
            "{A} said it trusted the {T} to run a fair vote.",
            "{A} distanced itself from attacks on the {T}.",
        ],
        "none": [
            "{X} urged {A} to stop attacking the {T}.",
            "Observers said the {T} had run an orderly vote, despite criticism.",
            "If the count is delayed, {A} could turn on the {T}, analysts said.",
            "{A} met the {T} on {day} to discuss observers' access.",
        ],
    },
    "boycott": {
        "expresses": [
            "{A} pulled its candidates from the race on {day}.",
            "{A}'s boycott of the vote was announced at a rally.",
            "{A} told farmers to stay away from the polls.",
        ],
        "denies": [
            "{A} said it would field candidates in every district.",
            "{A} dismissed talk of sitting out the election.",
            '"We will be on the ballot," {A} leader Odo Raskin said.',
            "{A} rejected calls from activists to stay out of the vote.",
            "A rumoured boycott was denied by {A} on {day}.",
        ],
        "none": [
            "A small farm group close to {A} called for a boycott, unnamed sources said.",
            "Would {A} really sit out the vote?",
            "Activists urged {A} to boycott the election.",
            "{A} boycotted a regional vote in 2016.",
            "{A} could withdraw from the race if fuel subsidies are cut, analysts warned.",
        ],
    },
    "concede": {
        "expresses": [
            "{A} accepted its defeat on {day} and wished the winners well.",
            "Defeat was conceded by {A} shortly after midnight.",
            "{A}'s concession speech was short and gracious.",
            '"The voters have spoken and we lost," the leader of {A} said.',
        ],
        "denies": [
            "{A} insisted the race was not over.",
            "{A} refused to admit defeat on {day}.",
            "{A} said it would not concede until every ballot was checked.",
        ],
        "none": [
            "{X} called on {A} to concede.",
            "Pundits said {A} was likely to concede within days.",
            "Will {A} accept the result?",
            "{A} conceded the 2020 race within hours.",
            "{X} conceded defeat in two northern districts, but not nationally.",
        ],
    },
}

MENTIONS = [  # neutral sentences that name an actor without any stance
    "{A} held a rally in the port city of Halden on {day}.",
    "{A} unveiled a plan to cut rail fares.",
    "Polls put {A} at 24 percent, two points down on the month.",
    "{A} leader spoke to students about housing on {day}.",
    "The programme of {A} promises 40,000 new homes.",
    "{A} and {X} clashed over pensions in a televised debate.",
    "A survey found that young voters trust {A} least on the economy.",
    "{A} spent 3.1 million crowns on advertising, filings show.",
    "The campaign bus of {A} broke down outside Tessel on {day}.",
    "{A} named a former footballer as its candidate in Varn.",
]
BACKGROUND = [
    "Turnout in early voting reached 18 percent.",
    "Snow closed several mountain roads on {day}.",
    "The central bank left interest rates unchanged.",
    "Polling stations open at seven in the morning.",
    "A new bridge over the river Aln opened to traffic.",
    "Fuel prices rose for a third week.",
    "Observers from neighbouring states arrived in the capital.",
    "The football league suspended two matches because of the weather.",
    "Hospital waiting times were a top concern in a national survey.",
    "Ballot papers were printed in four languages for the first time.",
]
OUTLETS = [
    ("Valdoria Broadcasting", "vbc.example"),
    ("Halden Courier", "haldencourier.example"),
    ("Northern Ledger", "northernledger.example"),
    ("Capital Post", "capitalpost.example"),
    ("Radio Tessel", "radiotessel.example"),
    ("The Varn Observer", "varnobserver.example"),
    ("Election Watch Daily", "electionwatch.example"),
    ("Aln Valley News", "alnvalley.example"),
    ("Republic Wire", "republicwire.example"),
    ("Morning Gazette", "morninggazette.example"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ALIASES = {
    "civic": ["Civic Alliance", "Civic", "Ilse Marken", "Marken"],
    "labour": ["Labour Front", "Labour", "Tomas Brell", "Brell"],
    "greens": ["Green Union", "Greens", "Anja Sorel", "Sorel"],
    "commission": ["Electoral Commission", "Commission"],
    "farmers": ["Farmers' League", "League", "Odo Raskin", "Raskin"],
}

# -- 3. schedule: (stance, actor, target) -> function of day giving (p_expresses, p_denies, p_none) per article
Key3 = tuple[str, str, str | None]


def rates(day: int) -> dict[Key3, tuple[float, float, float]]:
    """Expected sentences per article-slot of each kind for each key on `day` (a small budget per day)."""
    after = day - ELECTION_DAY
    return {
        ("recount", "civic", None): (2.5 if 2 <= after <= 8 else 0.0, 0.3 if after < 2 else 0.0, 1.0),
        ("coalition", "labour", "greens"): (2.5 if after >= 5 else 0.05, 0.0, 0.8),
        ("coalition", "greens", "civic"): (1.0 if day < 24 else 0.0, 1.5 if day >= 24 else 0.0, 0.6),
        ("certify", "commission", None): (2.5 if after >= 10 else 0.0, 0.5 if 4 <= after < 10 else 0.0, 0.8),
        # gradual drift: Civic's attacks on the Commission climb from day 8 to day 28
        ("criticise_commission", "civic", "commission"): (min(1.6, max(0.05, (day - 8) * 0.08)), 0.1, 0.4),
        ("boycott", "farmers", None): (0.0, 0.6, 0.8),  # quiet: a rumour, denials only
        ("concede", "labour", None): (0.0, 0.0, 0.5),  # quiet: never concedes (it wins)
        ("concede", "civic", None): (0.0, 0.6 if 1 <= after <= 6 else 0.0, 0.6),  # quiet: refuses to concede
    }


def alias(rng: random.Random, actor: str) -> str:
    name = rng.choice(ALIASES[actor])
    return f"the {name}" if actor == "commission" else name


def fill(template: str, rng: random.Random, actor: str, target: str | None, day: int) -> str:
    others = [a for a in ALIASES if a not in (actor, target) and a != "commission"]
    text = template.replace("{A}", alias(rng, actor))
    if target is not None:
        text = text.replace("{T}", "Commission" if target == "commission" else alias(rng, target))
    text = text.replace("{X}", alias(rng, rng.choice(others)))
    weekday = WEEKDAYS[(START + timedelta(days=day)).weekday()]
    text = text.replace("{day}", weekday).replace("the the ", "the ").replace("s's ", "s' ")
    return text[0].upper() + text[1:]


def build(out: Path) -> None:
    rng = random.Random(SEED)
    articles: list[Article] = []
    for day in range(DAYS):
        budget = rates(day)
        per_day = 7 + (6 if abs(day - ELECTION_DAY) <= 6 else 0)
        for n in range(per_day):
            lines: list[Line] = []
            for (stance, actor, target), (p_exp, p_den, p_none) in budget.items():
                key: Key = (actor, stance, target)
                for label, p in (("expresses", p_exp), ("denies", p_den), ("none", p_none)):
                    if rng.random() < p / per_day * 2.2:
                        text = fill(rng.choice(TEMPLATES[stance][label]), rng, actor, target, day)
                        lines.append(Line(text, {} if label == "none" else {key: label}))
            while len(lines) < 3 or rng.random() < 0.5:
                pool = MENTIONS if rng.random() < 0.45 else BACKGROUND
                actor = rng.choice(list(ALIASES))
                lines.append(Line(fill(rng.choice(pool), rng, actor, None, day)))
                if len(lines) >= 7:
                    break
            rng.shuffle(lines)
            outlet, host = OUTLETS[rng.randrange(len(OUTLETS))]
            at = START + timedelta(days=day, minutes=rng.randrange(6 * 60, 23 * 60))
            aid = f"vd-{day:02d}-{n:02d}"
            articles.append(
                Article(
                    id=aid,
                    source=outlet,
                    url=f"https://{host}/election/{aid}",
                    title=f"Election desk, day {day + 1}",
                    published_at=at,
                    paragraphs=[lines[: len(lines) // 2], lines[len(lines) // 2 :]],
                )
            )
    shifts = find_shifts(articles)
    readme = README + "\n" + "\n".join(f"- `{s['rule_id']}`: {s['start']}" for s in shifts) + "\n"
    write_timeline(out, RULES_YAML, articles, shifts, readme)


SHIFT_RULES = {
    "civic-demands-recount": ("civic", "recount", None, "expresses"),
    "labour-coalition-greens": ("labour", "coalition", "greens", "expresses"),
    "commission-certifies": ("commission", "certify", None, "expresses"),
    "civic-criticises-commission": ("civic", "criticise_commission", "commission", "expresses"),
    "greens-coalition-civic-fall": ("greens", "coalition", "civic", "denies"),
}
SHIFT_FROM_DAY = {
    "civic-demands-recount": ELECTION_DAY + 2,
    "labour-coalition-greens": ELECTION_DAY + 5,
    "commission-certifies": ELECTION_DAY + 10,
    "civic-criticises-commission": 22,  # the drift: where the trailing rate first reaches 3x days 0-10
    "greens-coalition-civic-fall": 24,
}


def find_shifts(articles: list[Article]) -> list[dict[str, object]]:
    shifts = []
    for rule_id, (actor, stance, target, label) in SHIFT_RULES.items():
        start_at = START + timedelta(days=SHIFT_FROM_DAY[rule_id])
        evidencing = [
            a
            for a in articles
            if a.published_at >= start_at
            and any(line.labels.get((actor, stance, target)) == label for p in a.paragraphs for line in p)
        ]
        if not evidencing:
            continue
        first = evidencing[0].published_at
        within = [a for a in evidencing if a.published_at <= first + timedelta(hours=72)]
        shifts.append(
            {
                "rule_id": rule_id,
                "actor": actor,
                "stance": stance,
                "target": target,
                "direction": "fall" if label == "denies" else "rise",
                "start": first.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": within[-1].published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "note": f"scheduled from day {SHIFT_FROM_DAY[rule_id] + 1}",
            }
        )
    return shifts


README = """# elections: a labelled timeline in a new domain (synthetic)

Generated by `scripts/domains/elections.py`; synthetic, invented text about a fictional country.
48 days around a national election in Valdoria (election on day 31).

| from day | what happens |
|---|---|
| 1 | Campaign. The Greens say they are open to a coalition with Civic; Civic's criticism of the Commission starts to climb slowly (drift). |
| 25 | The Greens turn away from Civic: refusals only. |
| 33 | Civic, beaten, demands a recount and refuses to concede. |
| 36 | Labour opens coalition talks with the Greens. |
| 41 | The Electoral Commission certifies the result (it had postponed certification from day 35). |

Quiet rules: `farmers-boycott` (a rumour and denials only), `labour-concedes` (never), `civic-concedes`
(refusals only). Drift: `civic-criticises-commission` rises from day 9 to day 29; its shift is labelled
at the first evidencing article from day 23, where the trailing rate first reaches 3x the days 1-10 rate.

Stances were defined before any template (see the comments in the generator) and the templates use other
wording than the rule examples. Constructions: active, passive with by-agent, possessive nominalisations,
quotes, reported speech, denials, hedges, conditionals, questions, urging by others, rumours, history,
other actors.

Shift starts (first evidencing article):
"""


if __name__ == "__main__":
    build(Path(sys.argv[1]))
