"""A labelled timeline in a new domain: a tariff dispute among trading powers (fictionalised, 2025).

    python -m scripts.domains.trade OUT_DIR

Unlike the election generator (whole-sentence templates), sentences here are composed: a subject phrase for
the actor ("Ottawa", "Canada's trade minister", "officials in Ottawa"), a voice (active, passive with a
by-agent, a nominalisation, a quote, indirect speech by the actor or by a third party) and a predicate
phrase for the act, so the same act appears in many structures. House style: a wire service with
datelines and attribution tails. Rules first (RULES_YAML, from the definitions), then phrases, then the
schedule. Synthetic, invented text.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scripts.domains.common import Article, Key, Line, write_timeline

SEED = 7311
START = datetime(2025, 4, 1, tzinfo=UTC)
DAYS = 50

# Definitions (written first):
# tariffs: the actor imposes or raises import duties on goods from the target.
# retaliation: the actor answers another's duties with counter-duties on the target's goods.
# talks: the actor negotiates, or agrees to negotiate, a trade deal with the target.
# wto_dispute: the actor files or pursues a WTO case against the target.
# export_ban: the actor restricts exports of a good to the target.
RULES_YAML = """\
# Tariff dispute (synthetic wire stories). Stances written from one-line definitions before any sentence.
actors:
  united_states:
    name: "United States"
    aliases: ["United States", "Washington", "US", "White House", "USTR", "American"]
  canada:
    name: "Canada"
    aliases: ["Canada", "Canadian", "Ottawa"]
  mexico:
    name: "Mexico"
    aliases: ["Mexico", "Mexican", "Mexico City"]
  china:
    name: "China"
    aliases: ["China", "Chinese", "Beijing", "MOFCOM"]
  european_union:
    name: "European Union"
    aliases: ["European Union", "EU", "Brussels", "European Commission"]
stances:
  tariffs:
    label: "imposes tariffs"
    examples:
      - "{actor} imposed tariffs on imports from {target}"
      - "{actor} raised duties on goods from {target}"
      - "{actor} slapped a levy on products made in {target}"
      - "New duties by {actor} on {target} took effect"
    counter_examples:
      - "{actor} lifted its tariffs on {target}"
      - "{actor} paused the planned duties on {target}"
      - "{actor} said it would not raise duties on {target}"
  retaliation:
    label: "retaliates with counter-tariffs"
    examples:
      - "{actor} hit back at {target} with counter-tariffs"
      - "{actor} announced retaliatory duties on goods from {target}"
      - "{actor} answered the levies of {target} with its own"
      - "{actor} published a list of {target} products facing reprisal duties"
    counter_examples:
      - "{actor} ruled out retaliating against {target}"
      - "{actor} held off on countermeasures against {target}"
      - "{actor} withdrew its counter-tariffs on {target}"
  talks:
    label: "negotiates a trade deal"
    examples:
      - "{actor} opened trade negotiations with {target}"
      - "{actor} agreed to hold talks on a trade deal with {target}"
      - "{actor} said a trade agreement with {target} was within reach"
      - "Negotiators from {actor} met {target} to work on a deal"
    counter_examples:
      - "{actor} walked away from the trade talks with {target}"
      - "{actor} said it would not negotiate with {target}"
      - "{actor} suspended trade negotiations with {target}"
  wto_dispute:
    label: "files a WTO dispute"
    examples:
      - "{actor} filed a complaint against {target} at the World Trade Organization"
      - "{actor} took {target} to the WTO"
      - "{actor} requested WTO consultations with {target}"
    counter_examples:
      - "{actor} dropped its WTO case against {target}"
      - "{actor} said it saw no need for a WTO case against {target}"
  export_ban:
    label: "restricts exports"
    examples:
      - "{actor} restricted exports of rare earths to {target}"
      - "{actor} banned shipments of key minerals to {target}"
      - "{actor} imposed export controls aimed at {target}"
    counter_examples:
      - "{actor} eased its export curbs on {target}"
      - "{actor} said it had no plans to restrict exports to {target}"
rules:
  - {id: us-tariffs-canada, title: "US tariffs on Canada", actor: united_states, stance: tariffs, target: canada,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: canada-retaliates-us, title: "Canada retaliates against US tariffs", actor: canada,
     stance: retaliation, target: united_states, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: mexico-talks-us-fall, title: "Mexico walks away from talks with the US", actor: mexico, stance: talks,
     target: united_states, direction: fall, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: eu-retaliates-us, title: "EU retaliates against US tariffs", actor: european_union, stance: retaliation,
     target: united_states, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: china-export-ban-us, title: "China restricts exports to the US", actor: china, stance: export_ban,
     target: united_states, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: canada-wto-us, title: "Canada takes the US to the WTO", actor: canada, stance: wto_dispute,
     target: united_states, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: eu-talks-china, title: "EU negotiates with China", actor: european_union, stance: talks,
     target: china, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: low}
"""

# Subject phrases: "{a}" is an alias. Some are the actor's own people; "Officials in" keeps the actor agent.
SUBJECTS = [
    "{a}",
    "{a}",
    "{a}'s trade minister",
    "officials in {a}",
    "the government in {a}",
    "{a}'s cabinet",
]
# Acts: for each stance, predicate phrases in the past tense ("{t}" is the target alias), the matching
# nominal ("{a}'s ... on {t}"), and denials. Own wording, not the rule examples.
ACTS: dict[str, dict[str, list[str]]] = {
    "tariffs": {
        "verb": [
            "put a 25 percent duty on steel from {t}",
            "increased import charges on {t} lumber",
            "extended its levies to cars assembled in {t}",
            "placed fresh charges on aluminium from {t}",
        ],
        "passive": [
            "A 25 percent duty on steel from {t} was put in place by {a}",
            "Higher charges on {t} lumber were announced by {a}",
        ],
        "noun": ["{a}'s new duties on {t} steel", "the {adj} levies on goods from {t}"],
        "deny": [
            "scrapped the duties it had placed on {t}",
            "postponed the charges on {t} goods by 90 days",
            "said there would be no new levies on {t} this year",
        ],
    },
    "retaliation": {
        "verb": [
            "answered with duties of its own on {t} whiskey and motorcycles",
            "struck back with countermeasures on 30 billion dollars of {t} goods",
            "matched the levies with charges on {t} orange juice",
        ],
        "passive": [
            "Reprisal duties on {t} bourbon were approved by {a}",
            "A list of {t} products facing counter-levies was published by {a}",
        ],
        "noun": ["{a}'s countermeasures against {t}", "the {adj} reprisal duties on {t} goods"],
        "deny": [
            "held back from answering the {t} duties",
            "said it would not hit back at {t} for now",
            "shelved its list of reprisal duties on {t}",
        ],
    },
    "talks": {
        "verb": [
            "sat down with {t} negotiators to work on a trade pact",
            "resumed negotiations on a deal with {t}",
            "said progress had been made in its trade negotiations with {t}",
        ],
        "passive": ["A new round of trade negotiations with {t} was convened by {a}"],
        "noun": ["{a}'s negotiations with {t}", "the {adj} proposal for a trade pact with {t}"],
        "deny": [
            "broke off the trade negotiations with {t}",
            "refused to return to the table with {t}",
            "called off the next round of talks with {t}",
        ],
    },
    "wto_dispute": {
        "verb": [
            "lodged a case against {t} at the World Trade Organization",
            "asked the WTO to set up a panel on the {t} duties",
        ],
        "passive": ["A WTO case against {t} was filed by {a}"],
        "noun": ["{a}'s WTO complaint against {t}", "the {adj} case against {t} in Geneva"],
        "deny": [
            "said it would not bring the dispute with {t} to the WTO",
            "withdrew its WTO case against {t}",
        ],
    },
    "export_ban": {
        "verb": [
            "halted shipments of gallium and germanium to {t}",
            "added licensing rules for rare earth sales to {t}",
        ],
        "passive": ["Rare earth shipments to {t} were halted by {a}"],
        "noun": ["{a}'s curbs on mineral exports to {t}", "the {adj} export controls aimed at {t}"],
        "deny": [
            "lifted its curbs on mineral sales to {t}",
            "said it had no plans to limit sales of minerals to {t}",
        ],
    },
}
ADJECTIVE = {"united_states": "American", "canada": "Canadian", "mexico": "Mexican", "china": "Chinese",
             "european_union": "EU"}  # fmt: skip
ALIASES = {
    "united_states": ["the United States", "Washington", "the US", "the White House"],
    "canada": ["Canada", "Ottawa"],
    "mexico": ["Mexico", "Mexico City"],
    "china": ["China", "Beijing"],
    "european_union": ["the European Union", "Brussels", "the EU", "the European Commission"],
}
THIRD = ["trade lawyers", "a business lobby", "the WTO director-general", "economists at a Geneva think tank",
         "farm groups", "analysts"]  # fmt: skip
DATELINES = ["OTTAWA", "WASHINGTON", "BRUSSELS", "BEIJING", "MEXICO CITY", "GENEVA"]
OUTLETS = [("Northgate Wire", "NGW", "northgate.example"), ("Meridian Markets", "MM", "meridianmarkets.example"),
           ("Harbour Trade News", "HTN", "harbourtrade.example"), ("Pacific Ledger", "PL", "pacificledger.example"),
           ("Continental Business", "CB", "contbiz.example"), ("Lakeshore Times", "LT", "lakeshore.example"),
           ("Atlas Economic Report", "AER", "atlasreport.example"), ("Global Freight Daily", "GFD", "gfd.example")]  # fmt: skip
BACKGROUND = [
    "Shipping rates on the Pacific route fell for a second week.",
    "The central bank kept its key rate at 3.25 percent.",
    "Container traffic at the port of Halifax rose 4 percent in March.",
    "Soybean futures edged higher in Chicago.",
    "Retail sales beat forecasts, government data showed.",
    "A strike at a rail yard delayed freight deliveries.",
    "Copper prices hit a two-month high.",
    "The auto parts maker reported quarterly profit above expectations.",
]
MENTIONS = [
    "{A} reported a trade surplus of 4.1 billion dollars for March.",
    "Exports from {A} to Asia rose 6 percent, customs data showed.",
    "{A} hosted a trade fair for agricultural machinery.",
    "The currency of {A} weakened slightly against the dollar.",
    "Leaders from {A} and {X} met at a summit on climate finance.",
]


def cap(text: str) -> str:
    text = text.replace("s's ", "s' ")
    return text[0].upper() + text[1:]


def act_sentence(rng: random.Random, stance: str, actor: str, target: str, label: str) -> tuple[str, str]:
    """One sentence for (actor, stance, target) and the label it carries: expresses, denies or none."""
    a = rng.choice(ALIASES[actor])
    t = rng.choice(ALIASES[target])
    phrases = ACTS[stance]
    subject = rng.choice(SUBJECTS).format(a=a)
    third = rng.choice(THIRD)
    tail = rng.choice(["", ", the ministry said in a statement", ", according to a government notice",
                       " on Tuesday", ", officials said"])  # fmt: skip
    if label == "denies":
        return cap(f"{subject} {rng.choice(phrases['deny']).format(t=t)}{tail}.").replace("..", "."), "denies"
    if label == "expresses":
        voice = rng.choice(["active", "active", "passive", "noun", "quote", "said"])
        if voice == "passive":
            return cap(rng.choice(phrases["passive"]).format(a=a, t=t) + f"{tail}."), "expresses"
        if voice == "noun":
            noun = rng.choice(phrases["noun"]).format(a=a, t=t, adj=ADJECTIVE[actor])
            verb = rng.choice(
                ["took effect at midnight", "rattled markets", "drew an angry response from " + third]
            )
            return cap(f"{noun} {verb}."), "expresses"
        if voice == "said":
            return cap(f"{subject} said it had {rng.choice(phrases['verb']).format(t=t)}."), "expresses"
        if voice == "quote":
            act = rng.choice(phrases["verb"]).format(t=t)
            return cap(f'"We have {act}," a spokesperson for {a} said.'), "expresses"
        return cap(f"{subject} {rng.choice(phrases['verb']).format(t=t)}{tail}."), "expresses"
    # none: the same act, said so that it is not the actor's own current act
    act = rng.choice(phrases["verb"]).format(t=t)
    shape = rng.choice(["urged", "could", "if", "question", "alleged", "history", "rumour", "target"])
    if shape == "urged":
        text = f"{cap(third)} urged {a} to take the step that {t} feared most."
    elif shape == "could":
        text = cap(f"{a} could take fresh steps against {t} next month, {third} said.")
    elif shape == "if":
        text = cap(f"{a} would act against {t} if talks fail, {third} said.")
    elif shape == "question":
        text = f"Will {a} go further against {t}?"
    elif shape == "alleged":
        text = cap(f"{third} accused {a} of preparing measures against {t}.")
    elif shape == "history":
        text = cap(f"In 2018, {a} {act}.")
    elif shape == "rumour":
        text = cap(f"{a} is considering new steps against {t}, people familiar with the matter said.")
    else:  # the actor as the target of someone else's act
        other = rng.choice([o for o in ALIASES if o not in (actor, target)])
        text = cap(f"{a} was hit with new measures by {rng.choice(ALIASES[other])}.")
    return text, "none"


# Schedule: key -> per day (expected expressing, denying, none sentences over the day's articles).
def daily(day: int) -> dict[tuple[str, str, str], tuple[float, float, float]]:
    return {
        ("tariffs", "united_states", "canada"): (
            8.0 if 12 <= day <= 16 else 2.0 if day > 16 else 0.15,
            0.0,
            2.0,
        ),
        ("retaliation", "canada", "united_states"): (
            7.0 if 18 <= day <= 22 else 1.5 if day > 22 else 0.0,
            1.0 if 12 <= day < 18 else 0.0,
            1.5,
        ),
        ("talks", "mexico", "united_states"): (2.0 if day < 27 else 0.0, 3.0 if day >= 27 else 0.0, 1.0),
        ("retaliation", "european_union", "united_states"): (0.0, 0.8, 1.5),  # quiet: holds back throughout
        # drift: China's export curbs creep up from day 20
        ("export_ban", "china", "united_states"): (min(3.0, max(0.05, (day - 20) * 0.2)), 0.0, 1.0),
        ("wto_dispute", "canada", "united_states"): (0.0, 0.0, 0.8),  # quiet: only talk of it
        ("talks", "european_union", "china"): (0.7, 0.0, 0.8),  # quiet: steady background
    }


SHIFT_DAYS = {"us-tariffs-canada": 12, "canada-retaliates-us": 18, "mexico-talks-us-fall": 27,
              "china-export-ban-us": 30}  # fmt: skip
RULE_KEYS = {"us-tariffs-canada": ("united_states", "tariffs", "canada", "expresses"),
             "canada-retaliates-us": ("canada", "retaliation", "united_states", "expresses"),
             "mexico-talks-us-fall": ("mexico", "talks", "united_states", "denies"),
             "china-export-ban-us": ("china", "export_ban", "united_states", "expresses")}  # fmt: skip


def build(out: Path) -> None:
    rng = random.Random(SEED)
    articles: list[Article] = []
    for day in range(DAYS):
        n_articles = 10
        slots: list[list[Line]] = [[] for _ in range(n_articles)]
        for (stance, actor, target), expected in daily(day).items():
            key: Key = (actor, stance, target)
            for label, mean in zip(("expresses", "denies", "none"), expected, strict=True):
                count = int(mean) + (1 if rng.random() < mean - int(mean) else 0)
                for _ in range(count):
                    text, got = act_sentence(rng, stance, actor, target, label)
                    slots[rng.randrange(n_articles)].append(Line(text, {} if got == "none" else {key: got}))
        for i, lines in enumerate(slots):
            while len(lines) < 4:
                if rng.random() < 0.5:
                    actor, other = rng.sample(list(ALIASES), 2)
                    text = rng.choice(MENTIONS).replace("{A}", rng.choice(ALIASES[actor]))
                    text = cap(text.replace("{X}", rng.choice(ALIASES[other])))
                else:
                    text = rng.choice(BACKGROUND)
                lines.append(Line(text))
            rng.shuffle(lines)
            outlet, short, host = OUTLETS[rng.randrange(len(OUTLETS))]
            at = START + timedelta(days=day, minutes=rng.randrange(5 * 60, 22 * 60))
            date = at.strftime("%B %-d")
            first = lines[0]
            if rng.random() < 0.6 and not first.text.startswith('"'):
                first = Line(f"{rng.choice(DATELINES)}, {date} ({short}) — {first.text}", first.labels)
            aid = f"tr-{day:02d}-{i:02d}"
            articles.append(
                Article(aid, outlet, f"https://{host}/markets/{aid}", f"Trade wrap, day {day + 1}", at,
                        [[first, *lines[1:3]], lines[3:]] if len(lines) > 3 else [[first, *lines[1:]]])
            )  # fmt: skip
    shifts = []
    for rule_id, (actor, stance, target, label) in RULE_KEYS.items():
        since = START + timedelta(days=SHIFT_DAYS[rule_id])
        hits = sorted(
            (a for a in articles if a.published_at >= since and any(
                line.labels.get((actor, stance, target)) == label for p in a.paragraphs for line in p)),
            key=lambda a: a.published_at,
        )  # fmt: skip
        first = hits[0].published_at
        last = [a for a in hits if a.published_at <= first + timedelta(hours=72)][-1].published_at
        shifts.append({"rule_id": rule_id, "actor": actor, "stance": stance, "target": target,
                       "direction": "fall" if label == "denies" else "rise",
                       "start": first.strftime("%Y-%m-%dT%H:%M:%SZ"), "end": last.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "note": f"scheduled from day {SHIFT_DAYS[rule_id] + 1}"})  # fmt: skip
    write_timeline(out, RULES_YAML, articles, shifts, README)


README = """# trade: a labelled timeline in a new domain (synthetic)

Generated by `scripts/domains/trade.py`; synthetic wire stories, invented text. 50 days of a tariff
dispute: US duties on Canada from day 13, Canadian counter-tariffs from day 19, Mexico walks away from
talks with the US on day 28, China's export curbs on the US creep up from day 21 (drift; shift labelled
from day 31). Quiet rules: the EU holds back from retaliation (denials only), Canada's WTO case (only
talked about), EU-China talks (steady background). Sentences are composed from subject phrases, voices
(active, passive with by-agent, nominalisation, quote, indirect speech) and predicate phrases; `none`
shapes: urging by third parties, modals, conditionals, questions, allegations, history, rumours, the
actor as a target of others.
"""


if __name__ == "__main__":
    build(Path(sys.argv[1]))
