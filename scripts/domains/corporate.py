"""A labelled timeline in a new domain: corporate news and regulation with fictional companies (2025).

    python -m scripts.domains.corporate OUT_DIR

Four fictional companies (Halvern Systems, Orbis Mobility, Cardwell Foods, Nuvanta Bank), one fictional
takeover target (Pellam Robotics) and four real regulators (FTC, European Commission, CMA, SEC) over 60 days.
House style: the business pages. Rumours from "people familiar with the matter", analysts' expectations,
conditional deal language, passives ("was fined by the SEC"), corporate nominalisations ("Cardwell's
recall"), share-price moves and company statements ("the company said in a filing").

Order of work: stance definitions and RULES_YAML first, then whole-sentence templates (STANCE_TEMPLATES,
DISTRACTORS, EXTRAS, neutral tables), then the schedule (PLAN). Synthetic, invented text.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from monitor.actors import ActorMatcher
from scripts.domains.common import Article, Key, Line, write_timeline

SEED = 20250303
START = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday
DAYS = 60

# ---------------------------------------------------------------------------------------------------------
# 1. Scenario. Stance definitions (written first; the YAML examples follow from them alone):
#   acquisition:      the company makes, raises or formally pursues an offer to buy the target company.
#   merger_clearance: the regulator approves, clears or signs off a takeover or merger by the target company.
#   investigation:    the regulator opens, widens or conducts a formal investigation into the target company.
#   fine:             the regulator imposes a monetary penalty on the target company.
#   recall:           the company recalls or withdraws its own products from sale over safety or quality.
#   layoffs:          the company announces or carries out job cuts among its own staff.
#   guidance_cut:     the company lowers its own financial forecast (revenue, profit, sales).
# ---------------------------------------------------------------------------------------------------------
DEFINITIONS = {
    "acquisition": "the company makes, raises or formally pursues an offer to buy the target company.",
    "merger_clearance": "the regulator approves, clears or signs off a takeover or merger by the target company.",
    "investigation": "the regulator opens, widens or conducts a formal investigation into the target company.",
    "fine": "the regulator imposes a monetary penalty on the target company.",
    "recall": "the company recalls or withdraws its own products from sale over safety or quality.",
    "layoffs": "the company announces or carries out job cuts among its own staff.",
    "guidance_cut": "the company lowers its own financial forecast (revenue, profit, sales).",
}

RULES_YAML = """\
# Corporate news and regulation (synthetic business pages). Fictional companies, real regulators.
# Stances were written from one-line definitions (see scripts/domains/corporate.py) before any sentence.
actors:
  halvern:
    name: "Halvern Systems"
    aliases: ["Halvern Systems", "Halvern"]
  pellam:
    name: "Pellam Robotics"
    aliases: ["Pellam Robotics", "Pellam"]
  orbis:
    name: "Orbis Mobility"
    aliases: ["Orbis Mobility", "Orbis"]
  cardwell:
    name: "Cardwell Foods"
    aliases: ["Cardwell Foods", "Cardwell"]
  nuvanta:
    name: "Nuvanta Bank"
    aliases: ["Nuvanta Bank", "Nuvanta"]
  ftc:
    name: "Federal Trade Commission"
    aliases: ["Federal Trade Commission", "FTC"]
  european_commission:
    name: "European Commission"
    aliases: ["European Commission", "Brussels", "EU"]
  cma:
    name: "Competition and Markets Authority"
    aliases: ["Competition and Markets Authority", "CMA"]
  sec:
    name: "Securities and Exchange Commission"
    aliases: ["Securities and Exchange Commission", "SEC"]
stances:
  acquisition:
    label: "pursues an acquisition of"
    examples:
      - "{actor} made a takeover offer for {target}"
      - "{actor} raised its bid for {target}"
      - "{actor} confirmed it is in talks to buy {target}"
      - "{actor} agreed terms to acquire {target}"
      - "A buyout proposal from {actor} was delivered to the board of {target}"
    counter_examples:
      - "{actor} walked away from its pursuit of {target}"
      - "{actor} said it has no intention of making an offer for {target}"
      - "{actor} denied it was preparing a bid for {target}"
  merger_clearance:
    label: "clears a takeover by"
    examples:
      - "{actor} approved the takeover proposed by {target}"
      - "{actor} cleared the merger agreed by {target} without conditions"
      - "{actor} signed off on the acquisition by {target} after remedies were offered"
      - "The deal struck by {target} won approval from {actor}"
    counter_examples:
      - "{actor} blocked the acquisition planned by {target}"
      - "{actor} said it was not ready to approve the takeover by {target}"
      - "{actor} paused its review of the deal by {target} and withheld approval"
  investigation:
    label: "investigates"
    examples:
      - "{actor} opened an investigation into {target}"
      - "{actor} widened its probe of {target}"
      - "{actor} issued subpoenas to {target} as part of an inquiry"
      - "{target} is under formal investigation by {actor}"
      - "{actor} launched a review of the business practices of {target}"
    counter_examples:
      - "{actor} closed its inquiry into {target} without action"
      - "{actor} said it was not investigating {target}"
      - "{actor} dropped the probe of {target}"
  fine:
    label: "fines"
    examples:
      - "{actor} fined {target} for misleading investors"
      - "{target} was ordered by {actor} to pay a civil penalty"
      - "{actor} imposed a penalty on {target}"
      - "{actor} levied a fine against {target} over reporting failures"
    counter_examples:
      - "{actor} decided not to fine {target}"
      - "{actor} waived the penalty against {target}"
      - "{actor} denied reports that it would fine {target}"
  recall:
    label: "recalls products"
    examples:
      - "{actor} recalled products from supermarket shelves"
      - "{actor} issued a recall of several batches"
      - "{actor} pulled products from sale over contamination fears"
      - "{actor} asked customers to return affected items"
    counter_examples:
      - "{actor} said no recall was necessary"
      - "{actor} ruled out withdrawing its products"
      - "{actor} ended the recall"
  layoffs:
    label: "announces layoffs"
    examples:
      - "{actor} announced layoffs"
      - "{actor} is cutting jobs"
      - "{actor} will eliminate positions as part of a restructuring"
      - "Hundreds of employees were laid off by {actor}"
    counter_examples:
      - "{actor} ruled out further job cuts"
      - "{actor} said it had no plans to reduce headcount"
      - "{actor} denied that layoffs were planned"
  guidance_cut:
    label: "cuts guidance"
    examples:
      - "{actor} cut its full-year guidance"
      - "{actor} lowered its profit forecast"
      - "{actor} trimmed its revenue outlook"
      - "{actor} warned that earnings would fall short of its earlier forecast"
    counter_examples:
      - "{actor} reaffirmed its annual outlook"
      - "{actor} said it would not lower its forecast"
      - "{actor} stood by its targets for the year"
rules:
  - {id: halvern-bids-pellam, title: "Halvern pursues a takeover of Pellam Robotics", actor: halvern,
     stance: acquisition, target: pellam, direction: rise, window: 24h, baseline: 14d, min_evidence: 3,
     min_sources: 2, cooldown: 72h, severity: high}
  - {id: cma-probes-halvern, title: "The CMA investigates Halvern", actor: cma, stance: investigation,
     target: halvern, direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: ec-clears-nuvanta, title: "Brussels clears Nuvanta's takeover of Kessling Pay", actor: european_commission,
     stance: merger_clearance, target: nuvanta, direction: rise, window: 24h, baseline: 14d, min_evidence: 3,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: ftc-probes-orbis, title: "The FTC investigates Orbis Mobility (gradual)", actor: ftc,
     stance: investigation, target: orbis, direction: rise, window: 24h, baseline: 14d, min_evidence: 3,
     min_sources: 2, cooldown: 72h, severity: high}
  - {id: cardwell-recall, title: "Cardwell Foods recalls products", actor: cardwell, stance: recall,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2, cooldown: 72h, severity: high}
  - {id: sec-fines-nuvanta, title: "The SEC fines Nuvanta Bank", actor: sec, stance: fine, target: nuvanta,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2, cooldown: 72h, severity: high}
  - {id: orbis-layoffs-fall, title: "Orbis Mobility stops cutting jobs", actor: orbis, stance: layoffs,
     direction: fall, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2, cooldown: 72h, severity: medium}
  - {id: cardwell-guidance-fall, title: "Cardwell Foods stops cutting its forecasts", actor: cardwell,
     stance: guidance_cut, direction: fall, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: nuvanta-layoffs, title: "Nuvanta Bank cuts jobs (quiet: steady trickle)", actor: nuvanta,
     stance: layoffs, direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: low}
  - {id: cma-probes-cardwell, title: "The CMA investigates Cardwell Foods (quiet: rumour denied)", actor: cma,
     stance: investigation, target: cardwell, direction: rise, window: 24h, baseline: 14d, min_evidence: 3,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: orbis-recall, title: "Orbis Mobility recalls scooters (quiet: launch coverage only)", actor: orbis,
     stance: recall, direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: halvern-guidance, title: "Halvern cuts guidance (quiet: only denials)", actor: halvern,
     stance: guidance_cut, direction: rise, window: 24h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: medium}
"""

# rule id -> (actor, stance, target)
RULE_KEYS: dict[str, Key] = {
    "halvern-bids-pellam": ("halvern", "acquisition", "pellam"),
    "cma-probes-halvern": ("cma", "investigation", "halvern"),
    "ec-clears-nuvanta": ("european_commission", "merger_clearance", "nuvanta"),
    "ftc-probes-orbis": ("ftc", "investigation", "orbis"),
    "cardwell-recall": ("cardwell", "recall", None),
    "sec-fines-nuvanta": ("sec", "fine", "nuvanta"),
    "orbis-layoffs-fall": ("orbis", "layoffs", None),
    "cardwell-guidance-fall": ("cardwell", "guidance_cut", None),
    "nuvanta-layoffs": ("nuvanta", "layoffs", None),
    "cma-probes-cardwell": ("cma", "investigation", "cardwell"),
    "orbis-recall": ("orbis", "recall", None),
    "halvern-guidance": ("halvern", "guidance_cut", None),
}
RISE_DAYS = {"halvern-bids-pellam": 9, "cma-probes-halvern": 24, "ec-clears-nuvanta": 50, "cardwell-recall": 33,
             "sec-fines-nuvanta": 41}  # fmt: skip
FALL_DAYS = {"orbis-layoffs-fall": 20, "cardwell-guidance-fall": 27}
DRIFT_RULE = "ftc-probes-orbis"
DRIFT_BASELINE_DAYS = 18  # days 0-17 set the earlier baseline rate; the climb starts on day 18
QUIET_RULES = {"nuvanta-layoffs": "steady background rate (one story every third day), unrelated burst of "
               "Nuvanta coverage around the SEC fine and the EU clearance",
               "cma-probes-cardwell": "rumour on day 13, denied by the CMA the same day and after; no expresses",
               "orbis-recall": "burst of Orbis launch coverage on days 45-47 and a viral video; only denials",
               "halvern-guidance": "only denials: Halvern reaffirms its outlook every few days"}  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# 2. Surface forms. {A} subject, {Ap} possessive, {Ab} bare modifier ("the CMA inquiry"), {As} a speaker;
#    {T}, {Tp}, {Tb} the same for the target. Every form contains an alias.
# ---------------------------------------------------------------------------------------------------------
FORMS: dict[str, dict[str, list[str]]] = {
    "halvern": {
        "A": ["Halvern Systems", "Halvern", "Halvern"],
        "Ap": ["Halvern's", "Halvern Systems'"],
        "Ab": ["Halvern"],
        "As": [
            "Halvern chief executive Idris Varga",
            "a Halvern spokeswoman",
            "Halvern finance chief Omar Tesh",
        ],
    },
    "pellam": {
        "A": ["Pellam Robotics", "Pellam"],
        "Ap": ["Pellam's", "Pellam Robotics'"],
        "Ab": ["Pellam"],
        "As": ["Pellam chief executive Ruth Okafor", "a Pellam spokesman"],
    },
    "orbis": {
        "A": ["Orbis Mobility", "Orbis", "Orbis"],
        "Ap": ["Orbis's", "Orbis Mobility's"],
        "Ab": ["Orbis"],
        "As": ["Orbis chief executive Lena Marsh", "an Orbis spokesman", "Orbis operations chief Dev Anand"],
    },
    "cardwell": {
        "A": ["Cardwell Foods", "Cardwell", "Cardwell"],
        "Ap": ["Cardwell's", "Cardwell Foods'"],
        "Ab": ["Cardwell"],
        "As": [
            "Cardwell chief executive Tom Ashdown",
            "a Cardwell spokeswoman",
            "Cardwell finance director Ines Rowe",
        ],
    },
    "nuvanta": {
        "A": ["Nuvanta Bank", "Nuvanta", "Nuvanta"],
        "Ap": ["Nuvanta's", "Nuvanta Bank's"],
        "Ab": ["Nuvanta"],
        "As": [
            "Nuvanta chief executive Priya Kallan",
            "a Nuvanta spokesman",
            "Nuvanta finance chief Carl Brandt",
        ],
    },
    "ftc": {
        "A": ["the Federal Trade Commission", "the FTC", "the FTC", "the US Federal Trade Commission"],
        "Ap": ["the FTC's", "the Federal Trade Commission's"],
        "Ab": ["FTC"],
        "As": ["an FTC spokesperson", "the FTC's consumer protection director"],
    },
    "european_commission": {
        "A": ["the European Commission", "Brussels", "the EU competition authority"],
        "Ap": ["the European Commission's", "Brussels'"],
        "Ab": ["EU"],
        "As": ["a European Commission spokesperson", "an EU competition spokeswoman"],
    },
    "cma": {
        "A": [
            "the Competition and Markets Authority",
            "the CMA",
            "the CMA",
            "Britain's Competition and Markets Authority",
        ],
        "Ap": ["the CMA's", "the Competition and Markets Authority's"],
        "Ab": ["CMA"],
        "As": ["a CMA spokesperson", "the CMA's executive director for markets"],
    },
    "sec": {
        "A": [
            "the Securities and Exchange Commission",
            "the SEC",
            "the SEC",
            "the US Securities and Exchange Commission",
        ],
        "Ap": ["the SEC's", "the Securities and Exchange Commission's"],
        "Ab": ["SEC"],
        "As": ["an SEC spokesperson", "the SEC's enforcement director"],
    },
}
COMPANIES = ["halvern", "orbis", "cardwell", "nuvanta", "pellam"]
REGULATORS = ["ftc", "european_commission", "cma", "sec"]

GLOBAL_SLOTS: dict[str, list[str]] = {
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "move": ["1.7%", "2.4%", "3.1%", "4.6%", "5.8%", "7.2%", "9.5%"],
    "dir": ["up", "down"],
    "bank": [
        "Morrell Brothers",
        "Castlegate Securities",
        "Penrose & Lyle",
        "Kingsmere Capital",
        "Aldgate Research",
    ],
    "activist": ["Quarry Hill Partners", "Sablewood Capital", "Thornbury Value Fund"],
    "price": ["$38.20", "$112.75", "$17.40", "$64.10", "$23.85", "$91.30"],
    "cap": ["$14 billion", "$9.3 billion", "$27 billion", "$5.6 billion"],
    "div": ["22 cents", "41 cents", "18 cents"],
    "staff": ["18,000", "42,000", "9,500", "26,000"],
    "small": ["$1.2 million", "$800,000", "$2.5 million"],
    "city": ["London", "Frankfurt", "Washington", "Paris", "Dublin", "Chicago"],
    "pct": ["4%", "6%", "2.5%", "11%", "8%"],
    "n": ["300", "450", "1,100", "700"],
    "amt": ["$48 million", "$48m"],
    "rivalco": ["Tessaly Networks", "Brantwood Grocers", "Osterfield Motors", "Larchmont Financial"],
    "big": ["$310 million", "$1.4 billion", "$95 million", "$620 million"],
}
KEY_SLOTS: dict[str, dict[str, list[str]]] = {
    "halvern-bids-pellam": {
        "offer": ["$6.8 billion", "$41-a-share", "roughly $7 billion", "$42.50-a-share"],
        "prem": ["31%", "38%", "35%"],
        "rivalco": ["Tessaly Networks", "Grunwald Automation"],
    },
    "cma-probes-halvern": {
        "topic": [
            "cloud software licensing terms",
            "the bundling of database software with cloud hosting",
            "fees charged to customers who switch cloud providers",
            "licensing practices in the UK cloud market",
        ],
    },
    "ftc-probes-orbis": {
        "topic": [
            "driver pay disclosures",
            "claims about scooter battery range",
            "subscription cancellation practices",
            "surge-pricing disclosures to riders",
        ],
    },
    "cma-probes-cardwell": {
        "topic": [
            "supplier payment terms",
            "the pricing of own-label groceries",
            "promotional pricing in supermarkets",
        ],
    },
    "sec-fines-nuvanta": {
        "topic": [
            "misstated loan-loss reserves",
            "record-keeping failures involving staff messaging apps",
            "misleading disclosures about commercial property loans",
        ],
    },
    "ec-clears-nuvanta": {
        "deal": [
            "acquisition of Kessling Pay",
            "purchase of Dutch payments group Kessling Pay",
            "takeover of Kessling Pay",
            "Kessling Pay acquisition",
        ],
    },
    "cardwell-recall": {
        "prod": [
            "Brookvale frozen pies",
            "Harvest Gold cereal bars",
            "Meadowtop yoghurts",
            "Brookvale chicken pies",
        ],
        "defect": [
            "possible listeria contamination",
            "undeclared peanut traces",
            "small fragments of plastic",
        ],
        "n": ["240,000", "1.1 million", "380,000"],
        "rivalco": ["Brantwood Grocers", "Hollis Dairy"],
    },
    "orbis-recall": {
        "prod": ["Vela scooters", "Vela Two scooters", "Strada e-bikes"],
        "defect": ["battery overheating", "a faulty brake cable"],
        "n": ["40,000", "65,000"],
        "rivalco": ["Zipline Rides", "Osterfield Motors"],
    },
    "orbis-layoffs-fall": {
        "unit": [
            "its fleet-operations division",
            "its European ride-hailing unit",
            "its battery-swap business",
            "its customer-support centres",
        ],
        "n": ["350", "600", "1,200", "900"],
        "rivalco": ["Zipline Rides", "Osterfield Motors"],
    },
    "nuvanta-layoffs": {
        "unit": [
            "its mortgage operations",
            "its branch network",
            "its retail lending arm",
            "its back-office teams",
        ],
        "n": ["120", "85", "200", "150"],
        "rivalco": ["Larchmont Financial", "Firth Street Bank"],
    },
    "cardwell-guidance-fall": {
        "metric": ["full-year sales", "annual operating profit", "full-year earnings"],
        "reason": [
            "higher cocoa and wheat costs",
            "weaker demand for its snack brands",
            "rising packaging costs",
            "price cuts by discount grocers",
        ],
        "rivalco": ["Brantwood Grocers", "Hollis Dairy"],
    },
    "halvern-guidance": {
        "metric": ["full-year revenue", "annual operating margin", "cloud revenue growth"],
        "reason": ["slower corporate IT spending", "currency swings", "delays in large cloud contracts"],
        "rivalco": ["Tessaly Networks", "Grunwald Automation"],
    },
}
for _rid, (_actor, _stance, _target) in RULE_KEYS.items():  # every key may use "rivalco"
    KEY_SLOTS[_rid].setdefault("rivalco", GLOBAL_SLOTS["rivalco"])

# ---------------------------------------------------------------------------------------------------------
# 3. Stance-bearing templates per stance: "expresses" and "denies" for the rule's (actor, stance, target).
# ---------------------------------------------------------------------------------------------------------
STANCE_TEMPLATES: dict[str, dict[str, list[str]]] = {
    "acquisition": {
        "expresses": [
            "{A} has tabled a {offer} offer for {T}, the company said in a filing on {day}.",
            "{A} confirmed on {day} that it had approached {T} with a takeover proposal.",
            "A cash bid for {T} was lodged by {A}, pitched at a {prem} premium to the undisturbed share price.",
            "{Ap} pursuit of {T} moved into the open on {day} when the company published the terms of its offer.",
            "{As} told analysts on a call that the company was committed to buying {T}.",
            "{A} sweetened its offer for {T} on {day}, according to a statement released before the market opened.",
            "The {Ab} bid for {T} values the robotics maker at roughly $7 billion, the company said.",
            "{A} said it had lined up financing from a group of banks to fund its proposed acquisition of {T}.",
            "{Ap} offer, which would be subject to approval by competition authorities, was delivered to the {Tb} board on {day}.",
            "In a regulatory filing, {A} said it intends to acquire all outstanding shares of {T} for cash.",
            "{A} is pressing ahead with its approach for {T} and has hired advisers to run the process, the company said.",
            "Shares of {T} jumped {move} after {A} confirmed a {offer} takeover approach.",
            "{Tp} board rejected {Ap} {offer} proposal on {day}, saying it undervalued the company.",
            "{Ap} takeover proposal for {T} remains on the table, a company spokeswoman said on {day}.",
            "{A} reiterated on {day} that it wants to complete its purchase of {T} by the end of the year.",
            "A {offer} approach for {T} was confirmed by {A}, which said talks with the target's largest investors had begun.",
            '"{Tb} is the right fit for us," {As} said as the company confirmed its offer.',
        ],
        "denies": [
            "{A} dismissed reports that it was preparing a bid for {T}, calling them speculation.",
            "{A} said on {day} that it had no intention of making an offer for {T}.",
            "{A} has not approached {T} and does not plan to, a spokesman said.",
            "{As} denied that the company was weighing a takeover of {T}.",
            "{A} said it was not in talks to acquire {T}, sending the target's shares lower.",
            "In a statement to the exchange, {A} said it was not pursuing a transaction with {T}.",
            "{Ap} denial of any interest in {T} came hours after the reports surfaced.",
        ],
    },
    "merger_clearance": {
        "expresses": [
            "{A} cleared {Tp} {deal} on {day}, concluding that the tie-up raised no competition concerns.",
            "{Tp} {deal} was approved by {A} without conditions.",
            "{A} signed off on {Tp} {deal} after the bank agreed to keep Kessling's merchant fees unchanged for three years.",
            "The {deal} by {T} won unconditional approval from {A} on {day}.",
            "{Ap} approval of the {deal} removes one of the last hurdles for {T}, the bank said.",
            "{A} said in a statement that it had approved {Tp} {deal} following a phase one review.",
            "{T} said it welcomed {Ap} decision to clear the {deal}.",
            "The {deal} was cleared by {A}, {T} said in a filing, sending its shares up {move}.",
            "{Ap} green light for the {deal} came earlier than analysts had expected.",
            "The {Ab} approval of {Tp} {deal}, published on {day}, carried no remedies.",
            "{As} said the {deal} by {T} had been cleared because the two firms rarely compete.",
            "{A} gave its blessing to {Tp} {deal} on {day}, ending a review that began in March.",
            "{Tb} shares rose {move} after {A} cleared the {deal}.",
        ],
        "denies": [
            "{A} is not ready to approve {Tp} {deal} at this stage, a spokesperson said.",
            "{A} stopped the clock on its review of {Tp} {deal}, withholding approval until the bank supplies more data.",
            "{A} has not yet approved {Tp} {deal} and is seeking further information, {As} said.",
            "{Ap} refusal to sign off on the {deal} this month frustrated {T} executives.",
            "{As} said the authority would not rubber-stamp {Tp} {deal} while questions about payment data remained open.",
        ],
    },
    "investigation": {
        "expresses": [
            "{A} opened a formal investigation into {T} over {topic}, the regulator said on {day}.",
            "{T} is under investigation by {A} over {topic}, the company said in a filing.",
            "{A} has widened its probe of {T} to cover {topic}.",
            "{Ap} inquiry into {T} will examine {topic}, according to a notice published on {day}.",
            "{A} sent formal information requests to {T} about {topic}.",
            "Investigators at {A} are examining {topic} at {T}, the agency confirmed.",
            "{T} confirmed that it had received a demand for documents from {A} as part of a probe into {topic}.",
            "{Ap} probe of {T} sent the company's shares down {move} in early trading.",
            "The {Ab} investigation into {T}, launched on {day}, centres on {topic}.",
            "{A} said it was investigating whether {T} had misled customers over {topic}.",
            "Officials at {A} have begun questioning rivals of {T} about {topic}, according to a statement from the regulator.",
            "{As} said the investigation of {T} was at an early stage.",
            "The investigation by {A} into {T} is expected to take several months, the regulator said.",
            "{A} stepped up its scrutiny of {T} on {day}, issuing subpoenas that seek internal emails on {topic}.",
            "{T} disclosed in its annual report that {A} had opened an inquiry into {topic}.",
        ],
        "denies": [
            "{A} said it had not opened any investigation into {T}.",
            "{A} dismissed reports that it was probing {T} over {topic}.",
            "There is no inquiry into {T} under way, {As} said on {day}.",
            "{A} has no plans to investigate {T} over {topic}, the regulator said.",
            "{As} denied that the agency was examining {topic} at {T}.",
            "{Ap} denial that it was looking into {T} sent the company's shares up {move}.",
            "{A} is not investigating {T}, the regulator said in response to questions.",
        ],
    },
    "fine": {
        "expresses": [
            "{A} fined {T} {amt} over {topic}, the regulator said on {day}.",
            "{T} was fined {amt} by {A} over {topic}.",
            "{T} agreed to pay {amt} to settle charges brought by {A} over {topic}, the bank said in a filing.",
            "{Ap} {amt} penalty against {T} is the largest it has imposed on a regional lender this year.",
            "The {Ab} fine, announced on {day}, relates to {topic} at {T}.",
            "{A} ordered {T} to pay a civil penalty of {amt} for {topic}.",
            "{T} said it accepted the {amt} fine levied by {A} and had strengthened its controls.",
            "{A} imposed a {amt} civil money penalty on {T} on {day}, citing {topic}.",
            "{As} said the penalty against {T} reflected the seriousness of {topic}.",
            "Shares in {Tb} slipped {move} after {A} announced a {amt} fine on the lender.",
            "Enforcement staff at {A} said the sanction on {T} should serve as a warning to other lenders.",
            "{A} penalised {T} for {topic}, according to an order posted on the regulator's website.",
            "A {amt} penalty was imposed on {T} by {A} on {day}, ending a two-year inquiry.",
        ],
        "denies": [
            "{A} denied reports that it had already agreed a penalty with {T}.",
            "{A} has made no decision to fine {T}, a spokesperson said, calling press reports premature.",
            "{As} said the agency had not settled on any penalty for {T}.",
            "{A} rejected suggestions that a sanction against {T} had been finalised.",
        ],
    },
    "recall": {
        "expresses": [
            "{A} recalled {prod} on {day} because of {defect}.",
            "{prod} were recalled by {A} after tests found {defect}.",
            "{Ap} recall covers some {n} packs of {prod}, the company said in a statement.",
            "{A} has pulled {prod} from shelves over {defect}, according to a notice filed with food-safety officials.",
            "{A} told customers to return {prod} for a full refund, citing {defect}.",
            "The {Ab} recall, announced on {day}, was prompted by {defect}.",
            "{As} apologised to customers and said the company was withdrawing {prod} from sale.",
            "{A} expanded its recall of {prod} to include more batches, the company said on {day}.",
            "Supermarkets cleared {prod} from their shelves after {A} issued a recall notice.",
            "{A} said it was recalling {prod} as a precaution after {defect} was found at one plant.",
            "Shares in {Ab} fell {move} on {day} as the company's recall of {prod} widened.",
            "The cost of {Ap} recall of {prod} will be disclosed with quarterly results, the company said.",
            "{A} issued a voluntary recall of {prod}, according to a company filing.",
            "{A} urged shoppers who bought {prod} to throw them away or return them to the store.",
        ],
        "denies": [
            "{A} said there was no need to recall {prod}, adding that its own tests had found no fault.",
            "{A} ruled out a recall of {prod} on {day}.",
            "{As} said the company would not withdraw {prod} from sale.",
            "{A} has no plans to recall {prod}, a spokeswoman said.",
            "{Ap} refusal to recall {prod} was criticised by consumer groups.",
            "{A} dismissed calls for a recall of {prod}, saying the reported incidents were unrelated.",
            '"There is nothing wrong with these scooters," {As} said, rejecting calls for a recall.',
        ],
    },
    "layoffs": {
        "expresses": [
            "{A} said on {day} it would cut {n} jobs in {unit}.",
            "Some {n} employees were laid off by {A} in a shake-up of {unit}, the company confirmed.",
            "{Ap} latest round of job cuts will hit {unit}, according to a staff memo the company confirmed.",
            "{A} is eliminating roughly {n} positions as it reorganises {unit}, a spokesperson said.",
            "{As} told staff that {n} roles in {unit} would be eliminated.",
            "{A} notified state authorities that it would lay off {n} workers, a filing showed.",
            "The {Ab} layoffs, confirmed on {day}, affect {unit}.",
            "{A} confirmed a fresh wave of redundancies in {unit}, its latest this year.",
            "Unions criticised {Ap} decision to shed {n} jobs in {unit}.",
            "{A} announced it was reducing headcount in {unit} by {n}, citing weaker demand.",
            "Workers at {A} were told on {day} that {n} jobs would go in {unit}.",
            "{A} is trimming {n} jobs from {unit} to save costs, the company said in a filing.",
            "A further {n} jobs are being cut at {A}, according to a notice the company filed on {day}.",
        ],
        "denies": [
            "{A} ruled out further job cuts on {day}, saying its restructuring was complete.",
            "{A} has no plans for additional layoffs, {As} said.",
            "{As} told staff there would be no more redundancies this year.",
            "{A} denied a report that it was preparing another round of layoffs.",
            "{A} said it was not cutting jobs in {unit} and was instead hiring engineers.",
            "{Ap} pledge to keep headcount stable for the rest of the year was welcomed by unions.",
            "{A} does not expect to reduce its workforce further, a spokesman said.",
            "{A} said its headcount would remain flat for the rest of the year.",
        ],
    },
    "guidance_cut": {
        "expresses": [
            "{A} cut its {metric} forecast on {day}, blaming {reason}.",
            "{A} lowered its outlook for {metric}, the company said in a statement to the stock exchange.",
            "{Ap} guidance cut sent the shares down {move} in early trading.",
            "{As} told analysts the company now expects {metric} to land below its previous range because of {reason}.",
            "The forecast for {metric} was lowered by {A} to reflect {reason}.",
            "{A} warned that {metric} would fall short of its earlier target, citing {reason}.",
            "{A} issued a profit warning on {day}, pointing to {reason}.",
            "The reduced {Ab} outlook, published on {day}, reflects {reason}.",
            "Investors sold {Ab} shares after the company trimmed its {metric} guidance.",
            "{A} now sees {metric} growing by only {pct}, down from an earlier forecast, the company said in a filing.",
            "Analysts welcomed the clarity after {A} lowered its {metric} forecast.",
            "{A} revised down its {metric} outlook again, its finance director said on a call.",
            "{A} slashed its {metric} guidance on {day}, the latest in a series of downgrades.",
        ],
        "denies": [
            "{A} reaffirmed its {metric} forecast on {day}, saying demand remained resilient.",
            "{A} said it would not lower its guidance despite {reason}.",
            "{As} said the company had no plans to change its outlook for {metric}.",
            "{A} stood by its annual targets, dismissing concerns about {reason}.",
            "{Ap} decision to keep its forecast unchanged surprised analysts who had expected a cut.",
            "{A} rejected suggestions that it would need to trim its {metric} guidance.",
            "{A} held its full-year outlook steady in a trading update on {day}.",
            '"We have no reason to revisit our guidance," {As} said on {day}.',
        ],
    },
}

# Distractors: the stance's vocabulary with no label for any key. Phase: "pre" (before a rise shift / rumour
# stage), "post" (after it) or "any". Shapes: rumours, analysts, conditionals, questions, urging,
# allegations, history, another actor or another target.
DISTRACTORS: dict[str, list[tuple[str, str]]] = {
    "acquisition": [
        ("pre", "People familiar with the matter said {A} was exploring an approach for {T}."),
        (
            "pre",
            "{A} could make an offer for {T} as soon as next month, according to people familiar with the matter.",
        ),
        ("pre", "{A} declined to comment on speculation about {T}."),
        (
            "pre",
            "A tie-up between {A} and {T} would create the largest supplier of warehouse automation in Europe, analysts said.",
        ),
        (
            "any",
            "Analysts at {bank} expect {A} to pay a premium of at least {prem} to win over {Tb} shareholders.",
        ),
        ("any", "Would {A} walk away if a rival bidder for {T} emerged?"),
        ("any", "Activist investor {activist} urged {A} not to overpay for {T}."),
        (
            "any",
            "In 2021, {A} looked at buying {T} but walked away over price, according to people who worked on the talks.",
        ),
        ("any", "{rivalco} was weighing an approach for {T}, people familiar with the matter said."),
        ("any", "{A} bought Finnish sensor start-up Kestrel Optics for an undisclosed sum in 2023."),
        ("post", "Short sellers accused {A} of overpaying for {T} to disguise slowing growth."),
        (
            "post",
            "Any deal for {T} would be subject to approval in Brussels and by Britain's CMA, lawyers said.",
        ),
    ],
    "merger_clearance": [
        ("pre", "Analysts at {bank} expect {A} to clear {Tp} {deal} without conditions."),
        (
            "pre",
            "{A} is widely expected to approve the {deal} by {T} before the summer, people familiar with the matter said.",
        ),
        ("pre", "If regulators sign off, {T} expects to close the {deal} in the third quarter."),
        ("pre", "The {deal} would be subject to approval by {A} and by the Dutch central bank."),
        ("pre", "Rival payment firms urged {A} to block {Tp} {deal}."),
        ("pre", "Will {A} demand remedies before it rules on {Tp} {deal}?"),
        ("any", "{A} cleared an unrelated takeover in the card-processing market on {day}."),
        ("any", "In 2019, {A} blocked a smaller payments deal on competition grounds."),
        ("any", "{T} has argued that {Tp} {deal} raises no competition issues."),
        ("post", "Consumer groups accused {A} of waving through the {deal} by {T} too quickly."),
        ("post", "{T} now expects the {deal} to close within weeks, the bank said."),
    ],
    "investigation": [
        ("pre", "People familiar with the matter said {A} was preparing to open an inquiry into {T}."),
        (
            "pre",
            "{A} could open a formal investigation into {T} if it receives further complaints, a former official said.",
        ),
        ("pre", "{T} said it would cooperate with any inquiry by {A}."),
        ("pre", "Analysts at {bank} said an investigation by {A} could weigh on {Tb} shares for months."),
        ("any", "Consumer groups urged {A} to look into {topic} at {T}."),
        ("any", "Lawmakers asked {A} whether it planned to examine {topic} at {T}."),
        ("any", "Will {A} turn its attention to {topic} at {T}?"),
        ("any", "In 2020, {A} looked at {T} over an unrelated matter and took no action."),
        ("any", "A former employee accused {T} of misleading {A} over {topic}."),
        ("any", "Rival firms claimed that {A} had quietly begun examining {topic} at {T}."),
        ("any", "{A} opened an investigation into {rivalco} on {day}, in a case unrelated to {T}."),
        ("any", "{T} says its practices on {topic} comply with the law."),
    ],
    "fine": [
        ("pre", "{T} could face a fine of up to {big} from {A}, analysts at {bank} estimated."),
        ("pre", "People familiar with the matter said {A} was close to agreeing a penalty with {T}."),
        ("pre", "Investor advocates urged {A} to impose a heavy fine on {T}."),
        ("pre", "{T} said it had set aside money for possible regulatory penalties."),
        ("any", "Should {A} penalise {T} more harshly than other lenders?"),
        ("any", "In 2019, {A} fined {T} a smaller sum over late filings."),
        ("any", "{A} fined a Chicago brokerage for record-keeping failures on {day}."),
        ("any", "A whistleblower accused {T} of hiding {topic} from {A}."),
        (
            "any",
            "The FTC separately fined {T} {small} over telemarketing calls, in a case unrelated to the {Ab} matter.",
        ),
        ("post", "{T} said it did not expect further penalties from {A}."),
    ],
    "recall": [
        ("pre", "People familiar with the matter said {A} was weighing a recall of {prod}."),
        (
            "pre",
            "{A} could be forced to recall {prod} if further tests confirm {defect}, analysts at {bank} said.",
        ),
        ("pre", "{A} said it was looking into customer complaints about {prod}."),
        ("any", "Consumer groups urged {A} to recall {prod}."),
        ("any", "Is {A} moving fast enough on {defect}?"),
        ("any", "In 2022, {A} recalled a different product line over a labelling error."),
        ("any", "{rivalco}, a competitor of {A}, recalled some of its own products on {day}."),
        ("any", "Safety inspectors said they were examining {defect} at a plant that supplies {A}."),
        ("post", "A lawsuit filed on {day} accused {A} of ignoring early warnings about {defect}."),
    ],
    "layoffs": [
        ("any", "People familiar with the matter said {A} was considering more job cuts."),
        ("any", "Analysts at {bank} expect {A} to trim staff again if demand keeps weakening."),
        ("pre", "Union leaders urged {A} to halt layoffs in {unit}."),
        ("any", "Could {A} need to cut deeper to hit its cost targets?"),
        ("any", "In 2023, {A} shed jobs during a previous downturn."),
        ("any", "{A} said it had hired {n} people over the past year."),
        ("any", "{rivalco}, a competitor of {A}, announced {n} job cuts on {day}."),
        ("any", "Former staff accused {A} of disguising layoffs as performance dismissals."),
        ("any", "{A} will hold a town hall with employees on {day}, a spokesperson said."),
    ],
    "guidance_cut": [
        ("any", "Analysts at {bank} expect {A} to cut its {metric} forecast when it reports next month."),
        ("any", "{A} could lower guidance if {reason} persists, according to a note from {bank}."),
        ("any", "Will {A} be forced to trim its outlook again?"),
        ("any", "Investors urged {A} to give a more conservative forecast."),
        ("any", "In 2023, {A} cut its forecast three times in a single year."),
        ("any", "{rivalco}, which competes with {A}, lowered its own profit outlook on {day}."),
        ("any", "{A} will publish a trading update on {day}."),
        ("any", "Some investors accused {A} of setting unrealistic targets."),
    ],
}

# Key-specific sentences with labels for several rules (double mentions). (host rule, first day, last day,
# text, {rule id: label}); a host's articles in [first, last] may carry one.
EXTRAS: list[tuple[str, int, int, str, dict[str, str]]] = [
    (
        "cma-probes-halvern",
        24,
        59,
        "Halvern Systems, which is under investigation by the CMA over its cloud licensing terms, said its offer for "
        "Pellam Robotics remained on track.",
        {"cma-probes-halvern": "expresses", "halvern-bids-pellam": "expresses"},
    ),
    (
        "halvern-bids-pellam",
        24,
        59,
        "The CMA, which is already investigating Halvern's cloud contracts, would also have to sign off on Halvern's bid "
        "for Pellam.",
        {"cma-probes-halvern": "expresses", "halvern-bids-pellam": "expresses"},
    ),
    (
        "ec-clears-nuvanta",
        50,
        59,
        "The European Commission's approval of the Kessling Pay deal came as Nuvanta Bank was still absorbing the {amt} "
        "fine imposed by the SEC this month.",
        {"ec-clears-nuvanta": "expresses", "sec-fines-nuvanta": "expresses"},
    ),
    (
        "sec-fines-nuvanta",
        41,
        49,
        "Nuvanta Bank was fined {amt} by the SEC and is still waiting for Brussels to rule on its purchase of Kessling Pay.",
        {"sec-fines-nuvanta": "expresses"},
    ),
    (
        "orbis-layoffs-fall",
        20,
        59,
        "Orbis Mobility, whose pricing disclosures are being examined by the FTC, ruled out further job cuts in a "
        "filing on {day}.",
        {"ftc-probes-orbis": "expresses", "orbis-layoffs-fall": "denies"},
    ),
    (
        "cardwell-recall",
        33,
        59,
        "Cardwell Foods said the cost of its recall of {prod} would not force it to lower its annual forecast.",
        {"cardwell-recall": "expresses", "cardwell-guidance-fall": "denies"},
    ),
    (
        "cma-probes-cardwell",
        24,
        59,
        "The CMA said it was not investigating Cardwell Foods, though it confirmed that its review of Halvern's cloud "
        "licensing was continuing.",
        {"cma-probes-cardwell": "denies", "cma-probes-halvern": "expresses"},
    ),
    (
        "orbis-recall",
        44,
        47,
        "Orbis shares fell {move} as the FTC pressed on with its inquiry, even though the company insisted it had no "
        "plans to recall its Vela scooters.",
        {"ftc-probes-orbis": "expresses", "orbis-recall": "denies"},
    ),
    (
        "nuvanta-layoffs",
        0,
        59,
        "Nuvanta Bank confirmed {n} job cuts in {unit}, a move it said was unrelated to its talks with the SEC.",
        {"nuvanta-layoffs": "expresses"},
    ),
    (
        "halvern-guidance",
        0,
        59,
        "Halvern Systems stood by its annual guidance on {day}, even as rival Tessaly Networks cut its own.",
        {"halvern-guidance": "denies"},
    ),
    (
        "cardwell-guidance-fall",
        27,
        59,
        '"We are not changing our outlook," Cardwell chief executive Tom Ashdown told investors on {day}.',
        {"cardwell-guidance-fall": "denies"},
    ),
    (
        "orbis-layoffs-fall",
        0,
        19,
        '"These are painful decisions," Orbis chief executive Lena Marsh said as the company cut {n} more jobs.',
        {"orbis-layoffs-fall": "expresses"},
    ),
    (
        "ftc-probes-orbis",
        0,
        59,
        "The FTC is investigating Orbis over {topic}, while the CMA separately opened a review of Orbis's UK rental "
        "contracts.",
        {"ftc-probes-orbis": "expresses"},
    ),
    (
        "halvern-bids-pellam",
        9,
        59,
        "Halvern's bid for Pellam comes two years after the FTC cleared its smaller purchase of Kestrel Optics.",
        {"halvern-bids-pellam": "expresses"},
    ),
]

# ---------------------------------------------------------------------------------------------------------
# 4. Neutral tables: actor mentions with no stance, and background with no tracked actor.
# ---------------------------------------------------------------------------------------------------------
COMPANY_NEUTRAL = [
    "Shares of {A} closed {dir} {move} at {price} on {day}.",
    "{A} will report first-quarter results on {day}, the company said.",
    "{A} named a new chief financial officer, effective next month.",
    "{Ap} chief executive is due to speak at an investor conference in {city} on {day}.",
    "{A} has a market value of about {cap}.",
    "{A} declined to comment for this article.",
    "{A} did not respond to a request for comment.",
    "{Ab} shares have moved {move} since the start of the year.",
    "Trading volume in {Ab} shares was roughly double the daily average on {day}.",
    "{A} opened a new regional office in Singapore on {day}.",
    "{A} is scheduled to hold its annual shareholder meeting in May.",
    "{Ap} bonds traded slightly higher on {day}.",
    "{A} paid a quarterly dividend of {div} a share.",
    "{A} added two independent directors to its board.",
    "{A} employs about {staff} people worldwide.",
    "Options traders bet on big moves in {Ab} stock ahead of {day}.",
    "Credit analysts at {bank} left their rating on {A} unchanged.",
    "{A} said it would publish its sustainability report later this spring.",
    "{Ap} chairman bought shares worth {small} last week, a filing showed.",
    "A spokesperson for {A} said the company does not comment on market rumours.",
    "{A} moved its annual investor day to {day}.",
    "{A} is one of the ten largest holdings in several European income funds.",
    "{Ap} new chief operating officer joined from a rival on {day}.",
    "{A} published a new dividend policy alongside its annual report.",
    "{A} shares are rated buy by most of the analysts who cover the stock.",
    "{A} renewed its revolving credit facility with a group of banks on {day}.",
    "{A} said its new headquarters would open in the autumn.",
]
REGULATOR_NEUTRAL = [
    "{A} published its annual enforcement report on {day}.",
    "{A} is consulting on new guidance for merger notifications until the end of the month.",
    "The head of {Ai} is due to testify before lawmakers on {day}.",
    "{A} has asked for a larger budget next year, citing a rising caseload.",
    "{A} announced a reorganisation of its enforcement teams.",
    "{Ap} decisions can be appealed in court.",
    "Staff at {Ai} reviewed more than 200 deal filings last year, according to its latest report.",
    "A senior official at {Ai} will step down in the summer, the agency said.",
    "{A} declined to comment on individual cases.",
    "{A} held a conference on digital markets in {city} on {day}.",
    "{Ai} hired a new chief economist from a university in {city}.",
    "The leadership of {Ai} meets on {day} to discuss its priorities for the year.",
]
ORBIS_BURST = [
    "Orbis Mobility unveiled its Vela Two scooter at an event in Lisbon on {day}.",
    "Orbis said preorders for the Vela Two had exceeded its expectations.",
    "The Vela Two, priced at 899 euros, goes on sale in twelve European cities next month, Orbis said.",
    "Reviewers praised the battery life of the new Orbis scooter.",
    "Orbis shares rose {move} on the day of the launch.",
    "Orbis Mobility said the scooter in a widely shared video from Milan had been modified by its owner.",
    "The launch is the biggest in Orbis's history, according to the company.",
    "Orbis plans to add a cargo version of the Vela Two next year, its product chief said.",
]
BACKGROUND = [
    "Global stocks edged higher on {day} as investors weighed fresh inflation data.",
    "The dollar weakened against a basket of currencies in afternoon trading.",
    "Oil prices fell for a third straight session.",
    "Yields on 10-year Treasuries rose to their highest level in a month.",
    "The Bank of England held interest rates steady at its latest meeting.",
    "European bank shares outperformed the wider market this week.",
    "Tessaly Networks reported quarterly revenue ahead of forecasts.",
    "Brantwood Grocers said like-for-like sales rose {pct} in the latest quarter.",
    "Osterfield Motors raised its dividend for the first time in three years.",
    "Initial public offerings in London remain at their lowest level in a decade.",
    "Private equity firms have raised record sums this year but struggled to deploy them.",
    "Consumer confidence slipped in March, according to a closely watched survey.",
    "Retail sales rose more than economists had forecast.",
    "The euro held steady after the latest eurozone purchasing managers' data.",
    "Copper prices climbed on hopes of stronger demand from factories.",
    "Gold traded near a record high on {day}.",
    "Corporate bond issuance hit a quarterly record, bankers said.",
    "The tech-heavy Nasdaq index slipped {move} on {day}.",
    "Merger volumes in Europe rose in the first quarter, according to data from advisory firms.",
    "Shipping rates between Asia and Europe fell again this week.",
    "Grunwald Automation won a contract to supply warehouse robots to a German retailer.",
    "Larchmont Financial said deposits were stable in the first quarter.",
    "Hollis Dairy named a new chief executive on {day}.",
    "Kestrel Optics opened a research centre in Tampere.",
    "Firth Street Bank agreed to sell its credit card portfolio to a private equity buyer.",
    "Zipline Rides said ridership rose {pct} in its largest markets.",
    "Factory output in Germany contracted for a second month.",
    "The average rate on a 30-year mortgage fell slightly this week.",
    "Wheat futures rose after dry weather hit crops in several growing regions.",
    "Cocoa prices remain near historic highs, squeezing confectionery makers.",
    "Chipmakers led gains in Asian markets on {day}.",
    "Investors pulled money from equity funds for a second week, data showed.",
    "A strike at a major port delayed container shipments for three days.",
    "Airline shares rose after carriers reported strong Easter bookings.",
    "Analysts said first-quarter earnings season had so far beaten lowered expectations.",
    "Venture funding for robotics start-ups rose sharply last year.",
    "Commercial property values fell again in several large cities.",
    "Regional lenders have been tightening credit standards, a central bank survey found.",
    "Food inflation eased for a fourth month, official figures showed.",
    "Electric scooter operators have faced tighter city rules across Europe.",
    "Cloud spending by large companies slowed in the first quarter, a market research firm said.",
    "Britain's FTSE 100 index closed at a record on {day}.",
    "Hedge funds increased their bets against consumer stocks last month.",
    "Supermarket groups are battling discount chains for market share.",
    "Payments companies have been consolidating as margins shrink.",
    "Several ride-hailing groups have cut costs as investors demand profits.",
    "Lawmakers in Washington are debating new rules on data brokers.",
    "Competition lawyers said merger reviews have grown longer on both sides of the Atlantic.",
    "A survey of chief financial officers found hiring plans at a two-year low.",
    "The Japanese yen strengthened after comments from the central bank governor.",
    "Bitcoin fell sharply in weekend trading.",
    "Pension funds have been buying more corporate bonds this year.",
    "Earnings at large banks beat expectations thanks to trading revenue.",
    "Industrial robot orders rose {pct} last year, an industry group said.",
    "Auto sales in Europe fell in February, industry data showed.",
    "Bond investors are demanding higher premiums to hold long-dated debt.",
    "Quillon Pharma shares jumped after a drug trial met its main goal.",
    "Marrow Lane Capital closed a new infrastructure fund on {day}.",
    "The index of small-cap stocks has lagged the broader market this year.",
    "Several large asset managers cut their fees in the first quarter.",
    "Shares in luxury goods makers dropped on worries about demand in Asia.",
    "Dealmakers said a wave of delayed listings could arrive in the autumn.",
]

OUTLETS = [
    ("Counting House Daily", "countinghouse.example"),
    ("The Quarterly Ledger", "quarterlyledger.example"),
    ("Bellweather Markets", "bellweather.example"),
    ("Fenwick Business Review", "fenwickreview.example"),
    ("The Dealbook Courier", "dealcourier.example"),
    ("Ticker and Tape", "tickertape.example"),
    ("Harbourline Finance", "harbourline.example"),
    ("The Boardroom Post", "boardroompost.example"),
    ("Margin Call Weekly", "margincall.example"),
    ("Sterling Desk", "sterlingdesk.example"),
    ("Exchange Row", "exchangerow.example"),
    ("Capital Brief", "capitalbrief.example"),
    ("The Consumer Ledger", "consumerledger.example"),
]
TITLES = {
    "halvern-bids-pellam": [
        "Halvern and Pellam: what the deal means",
        "Halvern moves on Pellam Robotics",
        "Pellam shares jump on takeover news",
        "Halvern's robotics ambitions",
    ],
    "cma-probes-halvern": [
        "UK regulator turns to Halvern's cloud terms",
        "Halvern faces CMA scrutiny",
        "Cloud licensing under the spotlight",
    ],
    "ec-clears-nuvanta": [
        "Nuvanta's Kessling Pay deal and Brussels",
        "Payments consolidation: Nuvanta and Kessling",
        "Nuvanta deal review update",
    ],
    "ftc-probes-orbis": [
        "Orbis and the FTC",
        "Orbis faces questions in Washington",
        "Ride-hailing scrutiny grows",
    ],
    "cardwell-recall": [
        "Cardwell and food safety",
        "Cardwell recall latest",
        "Supermarkets act on Cardwell products",
    ],
    "sec-fines-nuvanta": [
        "Nuvanta and the SEC",
        "Nuvanta settles with regulator",
        "Bank enforcement roundup",
    ],
    "orbis-layoffs-fall": ["Orbis restructuring update", "Orbis and its workforce", "Jobs at Orbis"],
    "cardwell-guidance-fall": ["Cardwell outlook update", "Cardwell and costs", "Food makers' forecasts"],
    "nuvanta-layoffs": ["Nuvanta job cuts", "Regional banks trim staff", "Nuvanta restructuring"],
    "cma-probes-cardwell": ["Grocery pricing and the CMA", "Cardwell and the CMA", "Supplier terms in focus"],
    "orbis-recall": ["Orbis launches the Vela Two", "Scooter safety questions", "Orbis product update"],
    "halvern-guidance": ["Halvern trading update", "Halvern outlook", "Cloud demand check"],
    None: [
        "Markets wrap",
        "Business briefing",
        "Company news in brief",
        "The day in business",
        "Deals and dealmakers",
    ],
}

# ---------------------------------------------------------------------------------------------------------
# 5. Schedule: rule id -> day -> (expressing, denying, coverage) articles. Built by plan().
# ---------------------------------------------------------------------------------------------------------
# The FTC's inquiry into Orbis: a low steady baseline (days 0-17), then a slow climb over two weeks.
DRIFT_COUNTS = [1, 1, 0, 1, 2, 1, 1, 0, 1, 1, 1, 2, 0, 1, 1, 1, 1, 1,  # days 0-17: baseline
                1, 2, 1, 2, 2, 2, 3, 2, 3, 3, 5, 5, 5, 5, 6, 5, 5, 4, 4, 4, 3, 3, 3, 3,  # days 18-41
                2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]  # fmt: skip


def plan() -> dict[str, dict[int, tuple[int, int, int]]]:
    """How many expressing, denying and coverage-only articles each rule gets on each day."""
    p: dict[str, dict[int, tuple[int, int, int]]] = {rid: {} for rid in RULE_KEYS}

    def put(rid: str, day: int, exp: int = 0, den: int = 0, cov: int = 0) -> None:
        e, d, c = p[rid].get(day, (0, 0, 0))
        p[rid][day] = (e + exp, d + den, c + cov)

    def rise(rid: str, start: int, alternate_from: int, tail_from: int) -> None:
        put(rid, start, exp=6)
        put(rid, start + 1, exp=5)
        for day in range(start + 2, DAYS):
            if day < alternate_from:
                put(rid, day, exp=2 if day < tail_from else 1)
            elif day % 2 == 0:
                put(rid, day, exp=1)

    # Halvern and Pellam: rumours from day 3, a denial on days 5-6, the bid confirmed on day 9.
    for day in range(3, 9):
        put("halvern-bids-pellam", day, cov=1)
    put("halvern-bids-pellam", 5, den=2)
    put("halvern-bids-pellam", 6, den=1)
    rise("halvern-bids-pellam", 9, alternate_from=36, tail_from=18)
    # The CMA and Halvern's cloud licensing: speculation from day 15, probe opened on day 24.
    for day in range(15, 24, 2):
        put("cma-probes-halvern", day, cov=1)
    rise("cma-probes-halvern", 24, alternate_from=33, tail_from=33)
    # Brussels and Nuvanta's Kessling Pay deal: review coverage, the clock stopped (days 37-40), cleared day 50.
    for day in range(20, 50, 2):
        put("ec-clears-nuvanta", day, cov=1)
    for day, n in ((37, 2), (38, 1), (40, 1)):
        put("ec-clears-nuvanta", day, den=n)
    rise("ec-clears-nuvanta", 50, alternate_from=60, tail_from=52)
    # The FTC and Orbis: gradual drift.
    for day, n in enumerate(DRIFT_COUNTS):
        put(DRIFT_RULE, day, exp=n, cov=1 if day % 3 == 2 else 0)
    # Cardwell's recall: food-safety rumours on days 31-32, recall on day 33.
    put("cardwell-recall", 31, cov=2)
    put("cardwell-recall", 32, cov=2)
    rise("cardwell-recall", 33, alternate_from=42, tail_from=42)
    # The SEC and Nuvanta: settlement talk from day 30, a denial on days 36-37, the fine on day 41.
    for day in range(30, 41, 2):
        put("sec-fines-nuvanta", day, cov=1)
    put("sec-fines-nuvanta", 36, den=1)
    put("sec-fines-nuvanta", 37, den=1)
    rise("sec-fines-nuvanta", 41, alternate_from=49, tail_from=43)
    # Orbis's rolling layoffs (days 0-19), then "no more cuts" from day 20.
    for day in range(20):
        put("orbis-layoffs-fall", day, exp=2 if day in (3, 10, 16) else 1, cov=1 if day % 5 == 4 else 0)
    put("orbis-layoffs-fall", 20, den=4)
    put("orbis-layoffs-fall", 21, den=3)
    for day in range(24, DAYS, 4):
        put("orbis-layoffs-fall", day, den=1, cov=1)
    # Cardwell's serial guidance cuts (days 0-26), then reaffirmed outlook from day 27.
    for day in range(27):
        if day not in (1, 5, 8):
            put("cardwell-guidance-fall", day, exp=1)
        if day % 6 == 3:
            put("cardwell-guidance-fall", day, cov=1)
    put("cardwell-guidance-fall", 27, den=4)
    put("cardwell-guidance-fall", 28, den=3)
    for day in range(31, DAYS, 4):
        put("cardwell-guidance-fall", day, den=1)
    # Quiet: Nuvanta's steady trickle of job cuts (every third day).
    for day in range(1, DAYS, 3):
        put("nuvanta-layoffs", day, exp=1)
    # Quiet: a rumoured CMA look at Cardwell, denied at once.
    put("cma-probes-cardwell", 12, cov=3, den=2)
    put("cma-probes-cardwell", 13, cov=1, den=2)
    put("cma-probes-cardwell", 14, den=1)
    put("cma-probes-cardwell", 30, den=1)
    put("cma-probes-cardwell", 48, den=1)
    # Quiet: the Orbis Vela Two launch burst (general Orbis coverage in build) and denials of any recall.
    put("orbis-recall", 45, den=2, cov=1)
    put("orbis-recall", 46, den=1)
    put("orbis-recall", 52, den=1)
    # Quiet: Halvern keeps reaffirming its outlook.
    for day in range(2, DAYS, 5):
        put("halvern-guidance", day, den=1)
    return p


GENERAL_PER_DAY = 3
BURST = {44: 5, 45: 4, 46: 3}  # extra Orbis launch articles (quiet rule orbis-recall)
SLOT = re.compile(r"\{(\w+)\}")


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def fill(rng: random.Random, template: str, rid: str | None, actor: str, target: str | None) -> str:
    """Fill every {slot}: actor forms (A, Ap, Ab, As), target forms (T, Tp, Tb), then key and global slots."""
    key_slots = KEY_SLOTS.get(rid or "", {})

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("A", "Ap", "Ab", "As"):
            return rng.choice(FORMS[actor][name])
        if name == "Ai":  # an institution noun ("the European Commission", never "Brussels")
            return rng.choice([f for f in FORMS[actor]["A"] if f != "Brussels"])
        if name in ("T", "Tp", "Tb"):
            assert target is not None, template
            return rng.choice(FORMS[target]["A" + name[1:]])
        return rng.choice(key_slots.get(name) or GLOBAL_SLOTS[name])

    return cap(SLOT.sub(one, template))


def phase_ok(phase: str, rid: str, day: int) -> bool:
    start = 0 if rid == DRIFT_RULE else RISE_DAYS.get(rid, FALL_DAYS.get(rid))
    if start is None or phase == "any":
        return True
    return day < start if phase == "pre" else day >= start


def stance_line(rng: random.Random, rid: str, label: str) -> Line:
    actor, stance, target = RULE_KEYS[rid]
    text = fill(rng, rng.choice(STANCE_TEMPLATES[stance][label]), rid, actor, target)
    return Line(text, {RULE_KEYS[rid]: label})


def distractor_line(rng: random.Random, rid: str, day: int) -> Line:
    actor, stance, target = RULE_KEYS[rid]
    options = [t for phase, t in DISTRACTORS[stance] if phase_ok(phase, rid, day)]
    return Line(fill(rng, rng.choice(options), rid, actor, target))


def neutral_line(rng: random.Random, actor: str) -> Line:
    table = COMPANY_NEUTRAL if actor in COMPANIES else REGULATOR_NEUTRAL
    return Line(fill(rng, rng.choice(table), None, actor, None))


def background_line(rng: random.Random) -> Line:
    return Line(fill(rng, rng.choice(BACKGROUND), None, "halvern", None))


def extra_line(rng: random.Random, rid: str, day: int) -> Line | None:
    options = [(text, labels) for host, lo, hi, text, labels in EXTRAS if host == rid and lo <= day <= hi]
    if not options:
        return None
    text, labels = rng.choice(options)
    actor, _, target = RULE_KEYS[rid]
    return Line(fill(rng, text, rid, actor, target), {RULE_KEYS[r]: lab for r, lab in labels.items()})


def compose(rng: random.Random, rid: str | None, mode: str, day: int) -> list[Line]:
    """One article's sentences: the story's lines, then neutral mentions and background to 3-8 sentences."""
    n = rng.randint(3, 8)
    story: list[Line] = []
    if rid is not None:
        actor, _, target = RULE_KEYS[rid]
        if mode in ("expresses", "denies"):
            story.append(stance_line(rng, rid, mode))
            if n >= 5 and rng.random() < 0.4:
                story.append(stance_line(rng, rid, mode))
            if rng.random() < 0.3:
                extra = extra_line(rng, rid, day)
                if extra is not None:
                    story.append(extra)
        if mode == "coverage" or rng.random() < 0.6:
            story.append(distractor_line(rng, rid, day))
        if rng.random() < 0.5:
            story.append(neutral_line(rng, rng.choice([a for a in (actor, target) if a is not None])))
    else:
        actor = rng.choice(COMPANIES + REGULATORS)
        story.append(neutral_line(rng, actor))
        if rng.random() < 0.5:
            story.append(neutral_line(rng, rng.choice(COMPANIES + REGULATORS)))
    n = max(n, len(story) + 1)
    want_actor = (n + 1) // 2
    while len(story) < want_actor:
        story.append(neutral_line(rng, rng.choice(COMPANIES + REGULATORS)))
    background = [background_line(rng) for _ in range(n - len(story))]
    # the story leads; background paragraphs follow, with one neutral line occasionally moved down
    return story + background


def burst_lines(rng: random.Random) -> list[Line]:
    lines = [Line(fill(rng, t, None, "orbis", None)) for t in rng.sample(ORBIS_BURST, rng.randint(2, 4))]
    return lines + [background_line(rng) for _ in range(rng.randint(1, 3))]


def paragraphs(rng: random.Random, lines: list[Line]) -> list[list[Line]]:
    """Split into paragraphs of one to three sentences (business pages run short paragraphs)."""
    out: list[list[Line]] = []
    i = 0
    while i < len(lines):
        size = rng.choice([1, 2, 2, 3])
        out.append(lines[i : i + size])
        i += size
    return out


def build_articles(rng: random.Random) -> list[Article]:
    schedule = plan()
    articles: list[Article] = []
    for day in range(DAYS):
        items: list[tuple[str | None, str]] = []
        for rid, days in schedule.items():
            e, d, c = days.get(day, (0, 0, 0))
            items += [(rid, "expresses")] * e + [(rid, "denies")] * d + [(rid, "coverage")] * c
        items += [(None, "general")] * GENERAL_PER_DAY + [("orbis-burst", "general")] * BURST.get(day, 0)
        # outlets: each rule's items on a day go to distinct outlets where possible
        outlets_used: dict[str | None, list[int]] = {}
        for i, (rid, mode) in enumerate(items):
            used = outlets_used.setdefault(rid, [])
            free = [o for o in range(len(OUTLETS)) if o not in used] or list(range(len(OUTLETS)))
            o = rng.choice(free)
            used.append(o)
            source, host = OUTLETS[o]
            if rid == "orbis-burst":
                lines, title = burst_lines(rng), "Orbis launches the Vela Two"
            else:
                lines, title = compose(rng, rid, mode, day), rng.choice(TITLES[rid])
            at = START + timedelta(days=day, minutes=rng.randrange(6 * 60, 21 * 60))
            aid = f"corp-{day:02d}-{i:02d}"
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            articles.append(Article(aid, source, f"https://{host}/companies/{at:%Y/%m/%d}/{slug}-{aid}", title, at,
                                    paragraphs(rng, lines)))  # fmt: skip
    return sorted(articles, key=lambda a: (a.published_at, a.id))


# ---------------------------------------------------------------------------------------------------------
# 6. Ground truth and checks.
# ---------------------------------------------------------------------------------------------------------
def evidencing(articles: list[Article], rid: str, label: str) -> list[Article]:
    key = RULE_KEYS[rid]
    return [a for a in articles if any(line.labels.get(key) == label for p in a.paragraphs for line in p)]


def day_of(article: Article) -> int:
    return (article.published_at - START).days


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def drift_day(articles: list[Article]) -> int:
    """First day whose trailing-3-day expressing rate reaches 3x the rate of days 0-17."""
    per_day = Counter(day_of(a) for a in evidencing(articles, DRIFT_RULE, "expresses"))
    base = sum(per_day[d] for d in range(DRIFT_BASELINE_DAYS)) / DRIFT_BASELINE_DAYS
    for day in range(DRIFT_BASELINE_DAYS, DAYS):
        if sum(per_day[d] for d in range(day - 2, day + 1)) / 3 >= 3 * base:
            return day
    raise ValueError("the drift never reaches 3x its baseline")


def shifts_and_checks(articles: list[Article]) -> tuple[list[dict[str, object]], dict[str, int]]:
    shifts: list[dict[str, object]] = []
    starts = {**RISE_DAYS, **FALL_DAYS, DRIFT_RULE: drift_day(articles)}
    for rid, day in starts.items():
        actor, stance, target = RULE_KEYS[rid]
        fall = rid in FALL_DAYS
        label = "denies" if fall else "expresses"
        hits = [a for a in evidencing(articles, rid, label) if day_of(a) >= day]
        first = hits[0].published_at
        if day_of(hits[0]) != day:
            raise ValueError(f"{rid}: first evidence on day {day_of(hits[0])}, scheduled {day}")
        in72 = [a for a in hits if a.published_at <= first + timedelta(hours=72)]
        in48 = [a for a in hits if a.published_at <= first + timedelta(hours=48)]
        expressing = evidencing(articles, rid, "expresses")
        if fall:
            before = [a for a in expressing if first - timedelta(days=14) <= a.published_at < first]
            if len(before) < 10 or any(a.published_at >= first for a in expressing):
                raise ValueError(f"{rid}: fall needs >=10 expressing before and none after")
            if any(day_of(a) < day for a in evidencing(articles, rid, "denies")):
                raise ValueError(f"{rid}: denial before the fall")
        else:
            if len(in48) < 9 or len({a.source for a in in48}) < 5:
                raise ValueError(
                    f"{rid}: {len(in48)} articles from {len({a.source for a in in48})} outlets in 48h"
                )
            if rid != DRIFT_RULE and any(a.published_at < first for a in expressing):
                raise ValueError(f"{rid}: expressing article before the shift")
            if not any(day_of(a) > day + 3 for a in hits):
                raise ValueError(f"{rid}: no continued coverage after the shift")
        note = (
            f"drift: first day (day {day + 1}) whose trailing-3-day rate reaches 3x the days 1-18 rate"
            if rid == DRIFT_RULE
            else f"scheduled {'fall' if fall else 'rise'} on day {day + 1}"
        )
        shifts.append({"rule_id": rid, "actor": actor, "stance": stance, "target": target,
                       "direction": "fall" if fall else "rise", "start": stamp(first),
                       "end": stamp(in72[-1].published_at), "note": note})  # fmt: skip
    for rid in QUIET_RULES:
        per_day = Counter(day_of(a) for a in evidencing(articles, rid, "expresses"))
        if rid == "nuvanta-layoffs":
            if max(per_day.values()) > 1:
                raise ValueError(f"{rid}: the steady rate has a burst")
        elif per_day:
            raise ValueError(f"{rid}: quiet rule with expressing articles")
    return sorted(shifts, key=lambda s: str(s["start"])), starts


def counts(articles: list[Article]) -> dict[str, int]:
    actors = yaml.safe_load(RULES_YAML)["actors"]
    matcher = ActorMatcher({a: spec["aliases"] for a, spec in actors.items()})
    lines = [line for a in articles for p in a.paragraphs for line in p]
    named = sum(1 for line in lines if matcher.find(line.text))
    labels = Counter(label for line in lines for label in line.labels.values())
    return {"sentences": len(lines), "naming an actor": named, **labels}


def template_counts() -> dict[str, int]:
    stance = sum(len(v) for t in STANCE_TEMPLATES.values() for v in t.values()) + len(EXTRAS)
    neutral = (sum(len(v) for v in DISTRACTORS.values()) + len(COMPANY_NEUTRAL) + len(REGULATOR_NEUTRAL)
               + len(ORBIS_BURST) + len(BACKGROUND))  # fmt: skip
    return {"stance-bearing": stance, "neutral or distractor": neutral}


def readme(articles: list[Article], starts: dict[str, int], shifts: list[dict[str, object]]) -> str:
    def date(day: int) -> str:
        return (START + timedelta(days=day)).strftime("%a %d %b")

    events = [
        (3, "rumours (people familiar with the matter) that Halvern Systems is eyeing Pellam Robotics"),
        (5, "Halvern dismisses the reports (denials)"),
        (9, "Halvern confirms a takeover offer for Pellam (rise: halvern-bids-pellam)"),
        (
            12,
            "rumour that the CMA is looking at Cardwell's supplier terms; the CMA denies it the same day (quiet)",
        ),
        (15, "speculation that the CMA will look at Halvern's cloud licensing"),
        (18, "the FTC's inquiry into Orbis Mobility starts to widen (drift begins)"),
        (20, "Orbis says its restructuring is complete, no more job cuts (fall: orbis-layoffs-fall)"),
        (24, "the CMA opens an investigation into Halvern's cloud licensing (rise: cma-probes-halvern)"),
        (27, "Cardwell Foods reaffirms its outlook after months of cuts (fall: cardwell-guidance-fall)"),
        (starts[DRIFT_RULE], "the FTC-Orbis coverage reaches 3x its early rate (drift shift labelled)"),
        (30, "reports that Nuvanta is in settlement talks with the SEC"),
        (31, "food-safety rumours about Cardwell products"),
        (33, "Cardwell recalls pies, cereal bars and yoghurts (rise: cardwell-recall)"),
        (36, "the SEC denies it has agreed a penalty with Nuvanta"),
        (37, "Brussels stops the clock on Nuvanta's Kessling Pay deal (denials)"),
        (41, "the SEC fines Nuvanta $48 million (rise: sec-fines-nuvanta)"),
        (
            44,
            "Orbis launches the Vela Two scooter: a burst of Orbis coverage; Orbis rules out any recall (quiet)",
        ),
        (50, "Brussels clears Nuvanta's takeover of Kessling Pay (rise: ec-clears-nuvanta)"),
    ]
    lines = ["# corporate: a labelled timeline in a new domain (synthetic)", "",
             "Generated by scripts/domains/corporate.py; synthetic, invented text. Fictional companies (Halvern "
             "Systems, Pellam Robotics, Orbis Mobility, Cardwell Foods, Nuvanta Bank) and real regulators (the FTC, "
             "the European Commission, the CMA, the SEC) as actors; nothing here reports a real event.", "",
             "House style: business pages. Rumours from people familiar with the matter, analysts' expectations, "
             "conditional deal language, passives, corporate nominalisations, share-price figures and company "
             "statements.", "", f"{DAYS} days from {START:%Y-%m-%d}.", "",
             "## Scenario by day", "", "| day | date | event |", "|---|---|---|"]  # fmt: skip
    lines += [f"| {d + 1} | {date(d)} | {text} |" for d, text in sorted(events)]
    lines += ["", "## Stance definitions", ""]
    lines += [f"- `{s}`: {text}" for s, text in DEFINITIONS.items()]
    lines += [
        "",
        "## Rules and expected behaviour",
        "",
        "| rule | key | direction | expected |",
        "|---|---|---|---|",
    ]
    for rid, (actor, stance, target) in RULE_KEYS.items():
        key = f"{actor} / {stance} / {target or '-'}"
        if rid in QUIET_RULES:
            lines.append(f"| {rid} | {key} | {'rise'} | quiet, no shift: {QUIET_RULES[rid]} |")
        elif rid in FALL_DAYS:
            lines.append(
                f"| {rid} | {key} | fall | shift on day {starts[rid] + 1}: expressed almost daily, then denials |"
            )
        elif rid == DRIFT_RULE:
            lines.append(f"| {rid} | {key} | rise | gradual drift from day {DRIFT_BASELINE_DAYS + 1}; shift labelled "
                         f"on day {starts[rid] + 1} |")  # fmt: skip
        else:
            lines.append(
                f"| {rid} | {key} | rise | shift on day {starts[rid] + 1}, then a lower continuing rate |"
            )
    lines += ["", "Drift labelling: for ftc-probes-orbis the earlier baseline rate is the mean number of "
              f"expressing articles a day over days 1-{DRIFT_BASELINE_DAYS}; the shift is labelled at the first "
              "article of the first day whose trailing-3-day mean (that day and the two before) first reaches "
              "3x that baseline rate. `end` is the last evidencing article within 72 hours of `start`.", "",
              "## Shifts", "", "| rule | start | end |", "|---|---|---|"]  # fmt: skip
    lines += [f"| {s['rule_id']} | {s['start']} | {s['end']} |" for s in shifts]
    c = counts(articles)
    t = template_counts()
    lines += ["", "## Counts", "", f"- articles: {len(articles)} from {len({a.source for a in articles})} outlets",
              f"- sentences: {c['sentences']}, naming a tracked actor: {c['naming an actor']}",
              f"- sentence labels (non-none): expresses {c.get('expresses', 0)}, denies {c.get('denies', 0)}",
              f"- templates: {t['stance-bearing']} stance-bearing, {t['neutral or distractor']} neutral or distractor",
              "", "Labelling follows the project's dev-timeline conventions: rumours, analysts' expectations, "
              "conditionals, questions, urging, allegations, history, another actor, another target and the "
              "actor as patient are `none`; the regulator is the agent of passives such as 'was fined by the "
              "SEC'.", ""]  # fmt: skip
    return "\n".join(lines)


def build(out: Path) -> None:
    rng = random.Random(SEED)
    articles = build_articles(rng)
    shifts, starts = shifts_and_checks(articles)
    c = counts(articles)
    print(
        f"templates: {template_counts()}; sentences naming an actor: {c['naming an actor']}/{c['sentences']}"
    )
    write_timeline(out, RULES_YAML, articles, shifts, readme(articles, starts, shifts))


if __name__ == "__main__":
    build(Path(sys.argv[1]))
