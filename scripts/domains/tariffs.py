"""A labelled timeline in a new domain: a fictionalised tariff war in spring 2025, written as wire copy.

    python -m scripts.domains.tariffs OUT_DIR

Written in this order: the stance definitions and the rules (RULES_YAML), then the sentence templates, then
the schedule. The templates never copy a rule example. House style: a wire service: datelines such as
"OTTAWA, March 3 (Northgate Wire) — ", long sentences with attribution tails (", the ministry said in a
statement."), reported and indirect speech, nominalisations ("Beijing's export curbs"), passives with a
by-agent, and figures (percentages, billions of dollars). Every named person is fictional; synthetic,
invented text.

A template is labelled once, by the stance it was written for and by what that stance implies (counter-
tariffs are tariffs on the target; lifting duties is a reversal of tariffs). A template may also carry a
label for the target's own act ("~tariffs": "Washington's tariffs" inside a Canadian statement). Every label
is checked against the scenario (ACTIVE): an act is only expressed while the scenario has it in force, and
only denied while it has not.
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scripts.domains.common import Article, Key, Line, write_timeline

SEED = 20250303
START = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday
DAYS = 60

# -- 1. definitions and rules, written first ----------------------------------------------------------
# tariffs: the actor imposes or raises import duties on goods from the target.
# retaliation: the actor imposes counter-tariffs on the target's goods in answer to the target's duties.
# export_controls: the actor restricts, bans or subjects to licences exports of goods or technology to
#   the target.
# negotiate: the actor seeks, opens or holds negotiations with the target towards a trade agreement.
# wto_dispute: the actor files or pursues a formal dispute against the target at the WTO.
# lift_duties: the actor lifts, suspends, cuts or grants exemptions from duties it had imposed on the
#   target's goods.
# currency_intervention: the actor's authorities buy or sell currency in the market to move its exchange
#   rate (no target).
# panel_ruling: the WTO, through a dispute panel, rules that the target's measures break trade rules.
RULES_YAML = """\
# Spring 2025 tariff war (synthetic wire copy). Stances written from one-line definitions before any sentence.
actors:
  united_states:
    name: "United States"
    aliases: ["United States", "US", "Washington", "White House", "USTR", "American"]
  canada:
    name: "Canada"
    aliases: ["Canada", "Canadian", "Ottawa"]
  mexico:
    name: "Mexico"
    aliases: ["Mexico", "Mexican"]
  china:
    name: "China"
    aliases: ["China", "Chinese", "Beijing", "MOFCOM"]
  european_union:
    name: "European Union"
    aliases: ["European Union", "EU", "Brussels", "European Commission"]
  japan:
    name: "Japan"
    aliases: ["Japan", "Japanese", "Tokyo"]
  india:
    name: "India"
    aliases: ["India", "Indian", "New Delhi"]
  wto:
    name: "World Trade Organization"
    aliases: ["World Trade Organization", "WTO"]
stances:
  tariffs:
    # the actor imposes or raises import duties on goods from the target
    label: "imposes tariffs"
    examples:
      - "{actor} imposed new import tariffs on goods from {target}"
      - "{actor} raised its duties on products from {target}"
      - "Tariffs on goods from {target} were imposed by {actor}"
      - "{actor}'s new tariffs on {target} took effect"
      - "{actor} announced a surcharge on imports from {target}"
    counter_examples:
      - "{actor} suspended its tariffs on {target}"
      - "{actor} ruled out new tariffs on {target}"
      - "{actor} threatened tariffs on {target} if talks fail"
  retaliation:
    # the actor imposes counter-tariffs on the target's goods in answer to the target's duties
    label: "imposes retaliatory tariffs"
    examples:
      - "{actor} imposed retaliatory tariffs on {target}"
      - "{actor} answered the duties from {target} with counter-tariffs"
      - "Counter-tariffs on goods from {target} were approved by {actor}"
      - "{actor}'s retaliatory duties on {target} came into force"
    counter_examples:
      - "{actor} ruled out retaliating against {target}"
      - "{actor} postponed its counter-tariffs on {target}"
      - "{actor} could retaliate against {target} if the duties stay"
  export_controls:
    # the actor restricts, bans or licenses exports of goods or technology to the target
    label: "restricts exports"
    examples:
      - "{actor} restricted exports of critical minerals to {target}"
      - "{actor} imposed export controls on chips bound for {target}"
      - "Shipments of key technology to {target} were curbed by {actor}"
      - "{actor}'s export curbs on {target} took effect"
    counter_examples:
      - "{actor} eased its export controls on {target}"
      - "{actor} said it had no plans to curb exports to {target}"
      - "{target} imposed export controls on {actor}"
  negotiate:
    # the actor seeks, opens or holds negotiations with the target towards a trade agreement
    label: "negotiates a trade deal"
    examples:
      - "{actor} opened trade negotiations with {target}"
      - "{actor} is negotiating a trade agreement with {target}"
      - "Negotiators from {actor} held a round of trade talks with {target}"
      - "{actor}'s talks with {target} on a trade deal resumed"
    counter_examples:
      - "{actor} broke off trade talks with {target}"
      - "{actor} refused to negotiate with {target}"
      - "Analysts expect {actor} to seek talks with {target}"
  wto_dispute:
    # the actor files or pursues a formal dispute against the target at the WTO
    label: "files a WTO dispute"
    examples:
      - "{actor} filed a WTO dispute against {target}"
      - "{actor} requested WTO consultations with {target}"
      - "A WTO complaint against {target} was lodged by {actor}"
      - "{actor}'s WTO case against {target} moved to a panel"
    counter_examples:
      - "{actor} dropped its WTO case against {target}"
      - "{actor} has no plans to file a WTO complaint against {target}"
      - "{target} filed a WTO dispute against {actor}"
  lift_duties:
    # the actor lifts, suspends, cuts or exempts goods from duties it had imposed on the target
    label: "lifts or suspends duties"
    examples:
      - "{actor} lifted its tariffs on goods from {target}"
      - "{actor} suspended duties on imports from {target} for 90 days"
      - "Tariffs on products from {target} were cut by {actor}"
      - "{actor}'s exemption for goods from {target} took effect"
    counter_examples:
      - "{actor} refused to lift its duties on {target}"
      - "{actor} said the tariffs on {target} would stay"
      - "{actor} may lift duties on {target} if a deal is reached"
  currency_intervention:
    # the actor's authorities buy or sell currency in the market to move its exchange rate
    label: "intervenes in currency markets"
    examples:
      - "{actor} intervened in the currency market"
      - "{actor} sold dollars to support its currency"
      - "The finance ministry confirmed that {actor} had stepped into the foreign exchange market"
      - "{actor}'s currency intervention lifted its exchange rate"
    counter_examples:
      - "{actor} said it had not intervened in the currency market"
      - "{actor} has no plans to intervene in the foreign exchange market"
      - "Traders speculated that {actor} might intervene"
  panel_ruling:
    # the WTO, through a dispute panel, rules that the target's measures break trade rules
    label: "rules against a member"
    examples:
      - "{actor} ruled that the measures of {target} broke trade rules"
      - "A panel of {actor} found against {target}"
      - "{actor} upheld a complaint against {target}"
      - "The ruling by {actor} against {target} was circulated to members"
    counter_examples:
      - "{actor} rejected the complaint against {target}"
      - "{actor} may rule against {target} later this year"
      - "{actor} delayed its report on the dispute with {target}"
rules:
  - {id: us-tariffs-canada, title: "US imposes tariffs on Canada", actor: united_states, stance: tariffs,
     target: canada, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: canada-retaliates-us, title: "Canada retaliates against US tariffs", actor: canada,
     stance: retaliation, target: united_states, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: us-export-controls-china, title: "US restricts exports to China", actor: united_states,
     stance: export_controls, target: china, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: eu-wto-us, title: "EU takes the US to the WTO", actor: european_union, stance: wto_dispute,
     target: united_states, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: china-export-controls-us, title: "China tightens export controls on the US (gradual)", actor: china,
     stance: export_controls, target: united_states, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: us-lifts-mexico, title: "US suspends duties on Mexico", actor: united_states, stance: lift_duties,
     target: mexico, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: japan-talks-us, title: "Japan opens trade talks with the US", actor: japan, stance: negotiate,
     target: united_states, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: japan-currency-fall, title: "Japan stops intervening in the yen", actor: japan,
     stance: currency_intervention, direction: fall, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: china-tariffs-us-fall, title: "China suspends its tariffs on the US", actor: china, stance: tariffs,
     target: united_states, direction: fall, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: eu-retaliation-us-quiet, title: "EU retaliates against the US (only holds off)",
     actor: european_union, stance: retaliation, target: united_states, direction: rise, window: 24h,
     baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
  - {id: india-talks-us-quiet, title: "India negotiates with the US (steady)", actor: india,
     stance: negotiate, target: united_states, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: low}
  - {id: wto-ruling-us-quiet, title: "WTO rules against the US (never; a burst of other WTO news)",
     actor: wto, stance: panel_ruling, target: united_states, direction: rise, window: 24h, baseline: 14d,
     min_evidence: 2, min_sources: 2, cooldown: 72h, severity: medium}
  - {id: mexico-retaliation-us-quiet, title: "Mexico retaliates against the US (rumour, denied)",
     actor: mexico, stance: retaliation, target: united_states, direction: rise, window: 24h,
     baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h, severity: high}
"""

CURRENCY = "currency_intervention"
RULE_KEYS: dict[str, Key] = {
    "us-tariffs-canada": ("united_states", "tariffs", "canada"),
    "canada-retaliates-us": ("canada", "retaliation", "united_states"),
    "us-export-controls-china": ("united_states", "export_controls", "china"),
    "eu-wto-us": ("european_union", "wto_dispute", "united_states"),
    "china-export-controls-us": ("china", "export_controls", "united_states"),
    "us-lifts-mexico": ("united_states", "lift_duties", "mexico"),
    "japan-talks-us": ("japan", "negotiate", "united_states"),
    "japan-currency-fall": ("japan", CURRENCY, None),
    "china-tariffs-us-fall": ("china", "tariffs", "united_states"),
    "eu-retaliation-us-quiet": ("european_union", "retaliation", "united_states"),
    "india-talks-us-quiet": ("india", "negotiate", "united_states"),
    "wto-ruling-us-quiet": ("wto", "panel_ruling", "united_states"),
    "mexico-retaliation-us-quiet": ("mexico", "retaliation", "united_states"),
}
KEYS = set(RULE_KEYS.values())

# The scenario: the days on which each rule key's act is in force. Outside them the act may only be denied.
ACTIVE: dict[Key, range] = {
    RULE_KEYS["us-tariffs-canada"]: range(8, DAYS),
    RULE_KEYS["canada-retaliates-us"]: range(11, DAYS),
    RULE_KEYS["us-export-controls-china"]: range(15, DAYS),
    RULE_KEYS["eu-wto-us"]: range(22, DAYS),
    RULE_KEYS["china-export-controls-us"]: range(0, DAYS),
    RULE_KEYS["us-lifts-mexico"]: range(30, DAYS),
    RULE_KEYS["japan-talks-us"]: range(46, DAYS),
    RULE_KEYS["japan-currency-fall"]: range(0, 26),
    RULE_KEYS["china-tariffs-us-fall"]: range(0, 40),
    RULE_KEYS["eu-retaliation-us-quiet"]: range(0),
    RULE_KEYS["india-talks-us-quiet"]: range(0, DAYS),
    RULE_KEYS["wto-ruling-us-quiet"]: range(0),
    RULE_KEYS["mexico-retaliation-us-quiet"]: range(0),
}

# -- 2. sentence material --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forms:
    nouns: tuple[str, ...]  # the actor as subject or object
    targets: tuple[str, ...]  # the actor as the target of a measure
    poss: tuple[str, ...]
    adj: tuple[str, ...]
    speakers: tuple[str, ...]  # the actor's own people; every one names the actor
    short: str
    city: str
    currency: str


# fmt: off
FORMS: dict[str, Forms] = {
    "united_states": Forms(
        ("Washington", "the United States", "the US", "the White House", "the US administration"),
        ("the United States", "Washington", "the US"),
        ("Washington's", "the US administration's", "the White House's", "the United States'"),
        ("US", "American"),
        ("US Trade Representative Dana Whitcombe", "US Commerce Secretary Howard Lindqvist",
         "a White House spokeswoman", "a spokesperson for the USTR", "American trade officials"),
        "US", "WASHINGTON", "dollar",
    ),
    "canada": Forms(
        ("Canada", "Ottawa", "the Canadian government"),
        ("Canada", "Ottawa"),
        ("Canada's", "Ottawa's"),
        ("Canadian",),
        ("Canadian Finance Minister Paul Renaud", "Canada's trade minister, Elaine Marchetti,",
         "a spokesman for Global Affairs Canada", "officials in Ottawa"),
        "Canada", "OTTAWA", "Canadian dollar",
    ),
    "mexico": Forms(
        ("Mexico", "the Mexican government"),
        ("Mexico",),
        ("Mexico's",),
        ("Mexican",),
        ("Mexican Economy Minister Rafael Ibarra", "Mexico's deputy trade minister, Lucia Ferrer,",
         "a spokeswoman for Mexico's economy ministry", "Mexican officials"),
        "Mexico", "MEXICO CITY", "peso",
    ),
    "china": Forms(
        ("China", "Beijing", "the Chinese government"),
        ("China", "Beijing"),
        ("China's", "Beijing's"),
        ("Chinese",),
        ("a MOFCOM spokesperson", "Chinese Commerce Minister Wang Jiandong", "China's commerce ministry",
         "officials in Beijing"),
        "China", "BEIJING", "yuan",
    ),
    "european_union": Forms(
        ("the European Union", "the EU", "Brussels", "the European Commission"),
        ("the European Union", "the EU", "Brussels"),
        ("the EU's", "Brussels'", "the European Commission's"),
        ("EU", "European Union"),
        ("EU Trade Commissioner Henrik Vaal", "a European Commission spokesperson",
         "EU officials", "Commission officials in Brussels"),
        "EU", "BRUSSELS", "euro",
    ),
    "japan": Forms(
        ("Japan", "Tokyo", "the Japanese government"),
        ("Japan", "Tokyo"),
        ("Japan's", "Tokyo's"),
        ("Japanese",),
        ("Japanese Finance Minister Kaito Morimura", "Japan's top currency diplomat, Rei Sakamaki,",
         "Japan's chief cabinet secretary", "officials in Tokyo"),
        "Japan", "TOKYO", "yen",
    ),
    "india": Forms(
        ("India", "New Delhi", "the Indian government"),
        ("India", "New Delhi"),
        ("India's", "New Delhi's"),
        ("Indian",),
        ("Indian Commerce Minister Arvind Mehra", "India's commerce secretary",
         "officials in New Delhi", "a spokesperson for India's commerce ministry"),
        "India", "NEW DELHI", "rupee",
    ),
    "wto": Forms(
        ("the WTO", "the World Trade Organization"),
        ("the WTO",),
        ("the WTO's",),
        ("WTO",),
        ("a WTO spokesperson", "WTO Deputy Director-General Ines Kovac", "officials at the WTO secretariat"),
        "WTO", "GENEVA", "",
    ),
}
STATES = [a for a in FORMS if a != "wto"]

THIRD = [
    "the Federated Exporters Council", "the Coalition of Port Operators", "a group of farm lobbies",
    "the International Shippers Forum", "trade lawyers in Geneva", "the Continental Automakers Alliance",
    "opposition lawmakers", "the Steelworkers Federation", "the chamber of commerce",
    "retail industry groups", "the Grain Growers Association",
]
ANALYST = [
    "analysts at Rennick Securities", "economists at Halvorsen Capital", "strategists at Albright Partners",
    "a senior economist at Koenig Bank", "analysts at the Lanford Institute",
    "currency strategists at Okabe Research",
]
TAIL = [
    ", the ministry said in a statement", ", according to a statement from the trade ministry",
    ", officials said", ", a government notice showed", ", according to a notice in the official gazette",
    ", two officials told reporters", ", according to an official statement", "", "", "",
]
PCT = ["15", "20", "25", "30", "34", "50", "84", "125"]
LOW = ["5", "10", "12"]
BN = ["$4.2 billion", "$7.8 billion", "$12 billion", "$21.5 billion", "$30 billion", "$48 billion",
      "$62 billion", "$110 billion", "26 billion euros", "$3.6 billion"]
PROD = ["steel", "aluminium", "autos", "auto parts", "softwood lumber", "dairy products", "pork", "soybeans",
        "electric vehicles", "solar panels", "machinery", "whiskey", "motorcycles", "orange juice",
        "pharmaceuticals", "textiles", "seafood", "copper wire"]
ECP = ["gallium", "germanium", "graphite", "antimony", "rare earth magnets", "advanced chips",
       "chipmaking equipment", "high-bandwidth memory chips", "battery cathode technology", "tungsten"]
FMONTH = ["June", "July", "the end of June", "September"]
PMONTH = ["January", "February", "last autumn"]
NUM = ["12", "17", "28", "36", "54"]
SMALL = ["0.3", "0.8", "1.4", "2.1", "3.6"]
RATE = ["2.75", "3.25", "4.5", "0.5"]
CITY = ["Geneva", "London", "Singapore", "Paris", "Vienna", "Seoul"]

# A template: (text, extra labels). Extra labels name another stance of the actor ("tariffs") or, with "~",
# an act of the target against the actor ("~tariffs": the sentence names the target's current duties).
Tpl = tuple[str, dict[str, str]]
NO: dict[str, str] = {}
REV_TARIFFS = {"~tariffs": "expresses"}
REV_TALKS = {"~negotiate": "expresses"}

# What a stance implies for another stance of the same actor toward the same target.
IMPLIED: dict[tuple[str, str], dict[str, str]] = {
    ("retaliation", "expresses"): {"tariffs": "expresses"},
    ("retaliation", "denies"): {"tariffs": "denies"},
    ("lift_duties", "expresses"): {"tariffs": "denies"},
}

EXPRESS: dict[str, list[Tpl]] = {
    "tariffs": [
        ("{A} imposed a {pct} percent tariff on {tadj} {prod} on {wd}{tail}.", NO),
        ("{Ap} new duties on {bn} of {tadj} imports took effect at 12:01 on {wd}, according to a notice published by the customs agency.", NO),
        ("Tariffs of {pct} percent on {tadj} {prod} were imposed by {A} on {wd}, the latest escalation in a dispute that has unsettled importers and exporters alike.", NO),
        ("{sp} said {A} had raised its duties on {tadj} {prod} to {pct} percent, citing what the statement described as unfair trade practices.", NO),
        ("The {adj} tariffs on {tadj} {prod}, which were announced on {wd} and cover an estimated {bn} in annual trade, went into force overnight{tail}.", NO),
        ("An executive order signed on {wd} raised {Ap} levies on goods from {T} to {pct} percent, according to the published text.", NO),
        ("{A} slapped fresh import duties of {pct} percent on {tadj} {prod}, a move that {third} estimated would affect some {bn} of trade a year.", NO),
        ("In a statement issued on {wd}, {A} said the additional charges on {tadj} {prod} were now being collected at all ports of entry.", NO),
        ("Customs officers began collecting {Ap} {pct} percent surcharge on {tadj} {prod} on {wd}, according to shipping agents and a notice from the border agency.", NO),
        ("The imposition by {A} of {pct} percent duties on {bn} of {tadj} goods was confirmed on {wd} by {sp}.", NO),
        ('"The duties on {tadj} {prod} are in force as of today," {sp} told reporters on {wd}.', NO),
        ("{A} widened its tariff net to cover {tadj} {prod}, taking the rate to {pct} percent{tail}.", NO),
        ("Higher duties on {tadj} {prod} were ordered by {A} late on {wd}, with the rate set at {pct} percent, according to a statement from the trade office.", NO),
        ("{Ap} tariff increase on {tadj} goods, the second in less than a month, brought the average rate on {prod} to {pct} percent, customs data showed.", NO),
    ],
    "retaliation": [
        ("{A} hit back at {T} on {wd} with counter-tariffs of {pct} percent on {bn} of {tadj} goods{tail}.", NO),
        ("Retaliatory duties on {tadj} {prod} were imposed by {A} in response to {Tp} levies, according to a statement from the finance ministry.", REV_TARIFFS),
        ("{sp} said {A} would match the {tadj} tariffs dollar for dollar, and that counter-duties on {bn} of {tadj} imports had taken effect on {wd}.", REV_TARIFFS),
        ("The {adj} counter-duties, which target {tadj} {prod} worth an estimated {bn}, came into force at midnight{tail}.", NO),
        ("{A} answered {Tp} tariffs with a {pct} percent levy on {tadj} {prod}, according to a government notice released on {wd}.", REV_TARIFFS),
        ('"We will not stand by while our workers are targeted, and the counter-tariffs on {tadj} goods announced today reflect that," {sp} said.', NO),
        ("A list of {tadj} products, from {prod} to household appliances, that will face reprisal duties of {pct} percent was published by {A} on {wd}.", NO),
        ("{A} retaliated against {T} on {wd}, imposing duties of {pct} percent on {tadj} {prod} in what {sp} called a measured and proportionate response.", NO),
        ("Counter-tariffs on {bn} of {tadj} goods were approved by {A} on {wd}, hours after {Tp} own levies came into force.", REV_TARIFFS),
        ("{Ap} retaliatory tariffs on {tadj} {prod} will stay in place for as long as the {tadj} duties remain, {sp} said on {wd}.", REV_TARIFFS),
        ("Customs officers in {A} started collecting the {adj} reprisal duties on {tadj} {prod} on {wd}, customs brokers said.", NO),
        ("{A} expanded its counter-measures against {T} on {wd}, adding {prod} to the goods facing a {pct} percent retaliatory duty{tail}.", NO),
        ("In a second wave of reprisals, {A} put tariffs of {pct} percent on {tadj} {prod}, the finance ministry said, describing the step as a direct answer to {Tp} duties.", REV_TARIFFS),
    ],
    "export_controls": [
        ("{A} tightened controls on exports of {ecp} to {T} on {wd}, requiring licences for every shipment{tail}.", NO),
        ("Shipments of {ecp} to {tadj} buyers were halted by {A} under a new licensing regime, according to a statement from the commerce ministry.", NO),
        ("{Ap} export curbs on {ecp} bound for {T} came into force on {wd}, and traders said cargoes were already being held at port.", NO),
        ("{sp} said {A} had added {n} {tadj} companies to its export control list, barring them from buying {ecp}.", NO),
        ("The {adj} restrictions on sales of {ecp} to {T} will apply to all pending orders, {sp} said in a notice published on {wd}.", NO),
        ("{A} blocked exports of {ecp} to {T} with immediate effect{tail}.", NO),
        ("Licences for exports of {ecp} to {T} have been suspended by {A}, according to three exporters and a ministry notice.", NO),
        ("Under rules issued by {A} on {wd}, {ecp} can no longer be shipped to {T} without government approval, the notice said.", NO),
        ("{A} expanded its export ban to cover {ecp} destined for {T}, a move that {third} said could disrupt supply chains worth {bn}.", NO),
        ('"These controls on exports of {ecp} to {T} protect our national security," {sp} said on {wd}.', NO),
        ("The latest {adj} curbs, which cover {ecp} and related technology sold to {T}, were confirmed on {wd} by {sp}.", NO),
        ("A licensing requirement for {ecp} sales to {T} was introduced by {A} on {wd}, with exporters told to expect approval times of up to {n} days.", NO),
        ("{Ap} decision to restrict {ecp} shipments to {tadj} manufacturers was formally notified to exporters on {wd}{tail}.", NO),
    ],
    "negotiate": [
        ("{A} opened a first round of talks with {T} on {wd}, aimed at a trade agreement covering some {bn} in annual commerce{tail}.", NO),
        ("Negotiators from {A} and {T} met in {city} on {wd} to work through the text of a bilateral trade deal, according to a statement from the trade ministry.", REV_TALKS),
        ("{sp} said {A} was pressing ahead with negotiations on a trade pact with {T} and hoped to conclude them by {fmonth}.", NO),
        ("Trade talks between {A} and {T} resumed on {wd}, with tariffs on {prod} at the top of the agenda, officials said.", REV_TALKS),
        ("{Ap} chief negotiator arrived in {city} on {wd} for a fresh round of negotiations with {T}, the trade ministry said in a statement.", NO),
        ("A delegation led by {sp} is holding talks with {T} this week on a framework trade agreement, according to the ministry.", NO),
        ("{A} submitted a revised offer to {T} on {wd} covering market access for {prod}, a sign that negotiations on a deal were advancing, a ministry statement said.", NO),
        ("{sp} confirmed on {wd} that {A} had entered formal trade negotiations with {T}.", NO),
        ('"We are negotiating in good faith with {T} and the progress is real," {sp} said on {wd}.', NO),
        ("The {adj} push for a trade deal with {T} gathered pace on {wd} as negotiators agreed a timetable for {n} more working sessions, the ministry said.", NO),
        ("{A} and {T} held a third day of negotiations on {wd} on a deal to cut tariffs on {prod}{tail}.", REV_TALKS),
        ("Talks on a trade agreement with {T} were launched by {A} on {wd}, with the first chapters covering {prod} and digital trade.", NO),
        ("{Ap} negotiators tabled proposals on {prod} and customs procedures in the talks with {T}, according to a readout released on {wd}.", NO),
    ],
    "wto_dispute": [
        ("{A} filed a formal complaint at the World Trade Organization on {wd} challenging {Tp} duties on {prod}{tail}.", REV_TARIFFS),
        ("A request for WTO consultations with {T} over the {tadj} levies on {prod} was lodged by {A}, the first step in a formal dispute, according to a statement from the trade office.", REV_TARIFFS),
        ("{sp} said {A} had asked the WTO to establish a dispute panel to rule on the {tadj} tariffs.", REV_TARIFFS),
        ("{Ap} WTO challenge to the {tadj} measures was formally circulated to members in Geneva on {wd}, according to a WTO notice.", NO),
        ("{A} launched dispute proceedings against {T} at the WTO on {wd}, arguing that the duties on {prod} violate global trade rules.", NO),
        ("The {adj} case against {T} at the World Trade Organization, which covers {bn} of affected exports, was filed on {wd}, the trade office said.", NO),
        ('"We have formally challenged these measures at the WTO," {sp} said on {wd}, referring to the {tadj} duties on {prod}.', REV_TARIFFS),
        ("{A} requested that a WTO panel examine {Tp} tariffs on {prod}, escalating a dispute that has simmered since {pmonth}{tail}.", REV_TARIFFS),
        ("Dispute settlement proceedings were initiated by {A} against {T} at the World Trade Organization on {wd}, according to documents posted by the WTO.", NO),
        ("{A} stepped up its WTO case against {T} on {wd}, asking for a panel after consultations in Geneva failed to settle the dispute{tail}.", NO),
        ("The WTO complaint filed by {A} against {T} argues that the duties breach the tariff ceilings {T} agreed to, {sp} said.", NO),
    ],
    "lift_duties": [
        ("{A} lifted its {pct} percent tariffs on {tadj} {prod} on {wd}{tail}.", NO),
        ("Duties on {tadj} {prod} were suspended by {A} for 90 days, according to a notice published in the official register.", NO),
        ("{sp} said {A} had exempted {tadj} goods that comply with the regional trade pact from its tariffs, with effect from {wd}.", NO),
        ("The {adj} decision to waive duties on {bn} of {tadj} imports was welcomed by importers on {wd}.", NO),
        ("{Ap} tariff exemption for {tadj} {prod} took effect at midnight, customs officials said.", NO),
        ("{A} cut its levies on {tadj} {prod} to {low} percent from {pct} percent{tail}.", NO),
        ("A reprieve from the duties on {tadj} {prod} was granted by {A} on {wd}, a government notice showed.", NO),
        ('"We are removing the tariffs on {tadj} {prod} effective immediately," {sp} told reporters.', NO),
        ("{A} paused the collection of duties on {tadj} goods on {wd}, according to a statement from the trade office.", NO),
        ("The suspension by {A} of its tariffs on {tadj} autos and auto parts was confirmed on {wd} by {sp}.", NO),
        ("Importers of {tadj} {prod} will no longer pay the {pct} percent duty after {A} scrapped it on {wd}, customs brokers said.", NO),
        ("{Ap} 90-day pause on tariffs for {tadj} goods, published on {wd}, covers roughly {bn} of annual imports{tail}.", NO),
    ],
    CURRENCY: [
        ("{A} intervened in the currency market on {wd} to support the {cur}, according to data released by the finance ministry.", NO),
        ("{sp} confirmed that {A} had sold dollars on {wd} to stem the slide in the {cur}.", NO),
        ("Authorities in {A} stepped into the foreign exchange market for a second time this month, spending an estimated {bn} to prop up the {cur}, the monthly figures showed.", NO),
        ("{Ap} intervention, which pushed the {cur} up by nearly 2 percent in minutes, was confirmed by {sp} on {wd}.", NO),
        ("The {adj} finance ministry said it had bought {cur} worth {bn} in the week to {wd} to counter what it called speculative moves.", NO),
        ("{Cur}-buying operations were carried out by {A} on {wd}, the finance ministry said, after the currency hit its weakest level in months.", NO),
        ('"We acted in the market today to address excessive volatility in the {cur}," {sp} said.', NO),
        ("{A} spent {bn} defending the {cur} in the week to {wd}, according to official data, its largest intervention since 2022.", NO),
        ("Dollar-selling by {A} to support the {cur} continued on {wd}, after the finance ministry confirmed its presence in the market.", NO),
        ("{sp} said on {wd} that {A} had entered the market to curb one-sided moves in the {cur}.", NO),
        ("The {adj} intervention in the {cur}, the third in as many weeks, was disclosed in ministry data published on {wd}.", NO),
    ],
    "panel_ruling": [
        ("A WTO dispute panel ruled on {wd} that {tadj} duties on {prod} were inconsistent with global trade rules, according to a report circulated to members.", NO),
        ("The World Trade Organization found that {Tp} subsidies for {prod} breached its obligations, in a panel report published on {wd}.", NO),
        ("{Tp} measures on {prod} were found to violate trade rules by a WTO panel, according to the ruling.", NO),
        ("The WTO panel report, which went against {T}, recommended that the {tadj} measures on {prod} be brought into conformity.", NO),
        ("{sp} said the panel had ruled that {tadj} import restrictions on {prod} were not justified under WTO rules.", NO),
    ],
}

DENY: dict[str, list[Tpl]] = {
    "tariffs": [
        ("{A} has no plans to put new tariffs on {tadj} goods, {sp} said on {wd}.", NO),
        ("{sp} dismissed reports that {A} was preparing fresh duties on {tadj} {prod}, calling them without foundation.", NO),
        ("{A} suspended its additional tariffs on {tadj} goods for 90 days{tail}.", NO),
        ("The {adj} decision to cut its duties on {tadj} {prod} from {pct} percent to {low} percent was published on {wd}{tail}.", NO),
        ("{A} said it would refrain from raising duties on {tadj} imports any further, according to a statement from the commerce ministry.", NO),
        ("Tariffs on {tadj} {prod} were withdrawn by {A} on {wd}, reversing a measure imposed earlier in the dispute.", NO),
        ("{Ap} refusal to impose further levies on {tadj} goods was reaffirmed on {wd} by {sp}.", NO),
        ("{A} rolled back the extra charges on {tadj} {prod}{tail}.", NO),
        ("{sp} said {A} would not raise its tariffs on {tadj} products again, describing the escalation as having reached its limit.", NO),
    ],
    "retaliation": [
        ("{A} will not retaliate against the {tadj} levies for now, {sp} said on {wd}, adding that dialogue remained the priority.", REV_TARIFFS),
        ("{sp} dismissed reports that {A} had drawn up a list of {tadj} goods for counter-tariffs, calling them speculation.", NO),
        ("{A} held off on counter-duties against {T} on {wd}{tail}.", NO),
        ("The {adj} decision to postpone its retaliatory package against {T} until at least {fmonth} was confirmed by {sp}.", NO),
        ("{A} has no intention of answering the {tadj} tariffs with duties of its own, according to a statement from the trade ministry.", REV_TARIFFS),
        ("A package of reprisal duties on {bn} of {tadj} goods was shelved by {A} on {wd}{tail}.", NO),
        ("{Ap} refusal to hit back at {T} with counter-tariffs drew criticism from {third}.", NO),
        ("{sp} said {A} was not preparing retaliatory duties on {tadj} products and would keep its market open.", NO),
        ("{A} again put off its counter-tariffs on {tadj} {prod} on {wd}, saying it preferred to give negotiations more time.", NO),
    ],
    "export_controls": [
        ("{A} eased its licensing requirements for {ecp} shipments to {T}{tail}.", NO),
        ("{sp} said {A} had no plans to restrict sales of {ecp} to {T}.", NO),
        ("{A} dismissed reports that it would halt {ecp} exports to {T}, saying trade in the materials was proceeding normally.", NO),
        ("Exports of {ecp} to {T} were cleared to resume by {A} on {wd}, according to a commerce ministry notice.", NO),
        ("{Ap} decision to lift the ban on {ecp} sales to {T} was announced on {wd}.", NO),
        ("{A} is not considering new curbs on {ecp} bound for {T}, {sp} told a briefing on {wd}.", NO),
        ("The {adj} government rejected calls to limit {ecp} shipments to {T}, saying open supply chains served both sides.", NO),
    ],
    "negotiate": [
        ("{A} broke off negotiations with {T} on {wd}{tail}.", NO),
        ("{sp} said {A} would not return to the negotiating table with {T} while the duties remained in place.", NO),
        ("{A} dismissed reports that it was seeking a trade deal with {T}, saying no talks were planned.", NO),
        ("The {adj} refusal to open trade negotiations with {T} was restated by {sp} on {wd}.", NO),
        ("Talks on a trade pact with {T} were suspended by {A} on {wd}, according to a statement from the trade ministry.", NO),
        ("{A} has no plans to negotiate a trade deal with {T} this year, {sp} said.", NO),
        ("{A} is not ready to begin trade talks with {T} at this stage, according to a statement from the ministry.", NO),
    ],
    "wto_dispute": [
        ("{A} has no plans to take its dispute with {T} to the WTO, {sp} said on {wd}.", NO),
        ("{sp} said {A} would not file a WTO complaint over the {tadj} duties, preferring to negotiate.", REV_TARIFFS),
        ("{A} withdrew its WTO case against {T} on {wd}{tail}.", NO),
        ("{A} dismissed reports that it was preparing a WTO challenge to {Tp} measures, calling the reports premature.", NO),
        ("The {adj} decision not to pursue a WTO case against {T} was confirmed by {sp}.", NO),
        ("{A} is not seeking a dispute panel at the World Trade Organization over its quarrel with {T} for now{tail}.", NO),
    ],
    "lift_duties": [
        ("{A} refused to lift the duties on {tadj} {prod}, {sp} said on {wd}.", NO),
        ("{sp} said {A} had no plans to grant {T} an exemption from its tariffs.", NO),
        ("{A} dismissed reports that it would suspend its duties on {tadj} goods, calling them premature.", NO),
        ("The {adj} refusal to waive the levies on {tadj} {prod} was restated on {wd} by {sp}.", NO),
        ("{A} is not prepared to remove the tariffs on {tadj} goods at this stage{tail}.", NO),
        ("A request from {T} for relief from the duties on {prod} was rejected by {A} on {wd}.", NO),
    ],
    CURRENCY: [
        ("{A} did not intervene in the currency market on {wd}, {sp} said, denying speculation that had swept trading desks.", NO),
        ("{sp} dismissed reports that {A} had stepped in to support the {cur}, saying the moves reflected market forces.", NO),
        ("{A} has no plans to intervene in the foreign exchange market, according to a statement from the finance ministry.", NO),
        ("Monthly data released on {wd} showed that {A} had made no currency interventions in the period, and {sp} said none were planned.", NO),
        ("{A} is not in the market and sees no need to act on the {cur} at present, {sp} told reporters.", NO),
        ("The {adj} finance ministry said it had refrained from intervening in the {cur} despite the currency's swings.", NO),
        ("{Ap} decision to stay out of the currency market was reaffirmed by {sp} on {wd}.", NO),
        ("{sp} denied that {A} had sold dollars on {wd}, saying the sharp rise in the {cur} was driven by investors.", NO),
    ],
    "panel_ruling": [
        ("A WTO panel rejected the complaint against {T} on {wd}, finding that the {tadj} measures on {prod} were justified.", NO),
        ("The World Trade Organization said it had found no breach in {Tp} tariffs on {prod}.", NO),
    ],
}

# Report frames: someone else reports the actor's act, keeping the stance (confirmed, welcomed, condemned,
# said) or reporting a refusal. {inf} and {past} are the stance's infinitive and past-tense phrases.
REPORT_EXPRESS = [
    "{osp} confirmed on {wd} that {A} had {past}.",
    "{third} said {Ap} decision to {inf} would cost its members about {bn} a year.",
    "{osp} said {A} had {past}, and that the government was studying the implications.",
    "{osp} condemned {Ap} decision to {inf}, according to a statement released on {wd}.",
    "{osp} noted at a briefing on {wd} that {A} had {past} earlier in the week.",
]
# Welcoming fits acts that partners applaud; it presupposes the act as much as "condemned" does.
WELCOMED = "{osp} welcomed {Ap} decision to {inf}, according to a statement released on {wd}."
WELCOME_STANCES = {"lift_duties", "negotiate", "wto_dispute"}
REPORT_DENY = [
    "{osp} said {A} had refused to {inf}.",
    "{third} welcomed {Ap} decision not to {inf}.",
    "{osp} confirmed on {wd} that {A} had decided against moves to {inf}.",
    "{osp} criticised {Ap} refusal to {inf}, according to a statement released on {wd}.",
]

INF: dict[str, list[str]] = {
    "tariffs": ["impose new duties on {tadj} {prod}", "raise tariffs on goods from {T}",
                "extend its levies to {tadj} {prod}", "put a {pct} percent surcharge on imports from {T}"],
    "retaliation": ["retaliate against {T} with counter-tariffs", "hit {tadj} {prod} with reprisal duties",
                    "impose counter-duties on {bn} of {tadj} goods"],
    "export_controls": ["restrict exports of {ecp} to {T}", "halt shipments of {ecp} to {tadj} buyers",
                        "require licences for {ecp} sales to {T}"],
    "negotiate": ["open trade negotiations with {T}", "seek a trade deal with {T}",
                  "begin talks with {T} on a trade pact"],
    "wto_dispute": ["file a WTO complaint against {T}", "take its dispute with {T} to the World Trade Organization",
                    "request WTO consultations with {T}"],
    "lift_duties": ["lift its tariffs on {tadj} {prod}", "suspend the duties on {tadj} goods",
                    "exempt {tadj} {prod} from its levies"],
    CURRENCY: ["intervene to support the {cur}", "sell dollars to prop up the {cur}", "step into the currency market"],
    "panel_ruling": ["rule against {T} in the dispute over {prod}"],
}
PAST: dict[str, list[str]] = {
    "tariffs": ["imposed duties of {pct} percent on {tadj} {prod}", "raised its tariffs on goods from {T}"],
    "retaliation": ["answered with counter-tariffs on {tadj} {prod}", "retaliated against {T} with duties on {prod}"],
    "export_controls": ["curbed exports of {ecp} to {T}", "put licensing rules on {ecp} shipments to {T}"],
    "negotiate": ["opened talks with {T} on a trade pact", "sent negotiators to meet {T} on a trade deal"],
    "wto_dispute": ["brought {T} before the WTO over {prod}", "filed a WTO case against {T}"],
    "lift_duties": ["lifted its duties on {tadj} {prod}", "suspended its tariffs on {tadj} goods"],
    CURRENCY: ["intervened to support the {cur}", "sold dollars to prop up the {cur}"],
    "panel_ruling": ["ruled against {T} in a dispute over {prod}"],
}
COND: dict[str, list[str]] = {
    "tariffs": ["talks failed", "the trade deficit kept widening"],
    "retaliation": ["the duties stayed in place beyond {fmonth}", "talks produced nothing by {fmonth}"],
    "export_controls": ["national security required it", "the dispute escalated further"],
    "negotiate": ["the duties were lifted first", "the other side dropped its demands on {prod}"],
    "wto_dispute": ["bilateral talks failed", "the duties were not withdrawn by {fmonth}"],
    "lift_duties": ["a deal was signed", "the other side made concessions on {prod}"],
    CURRENCY: ["the moves became disorderly", "the slide accelerated"],
    "panel_ruling": ["the evidence supported it"],
}

# None frames: the stance is urged, alleged, rumoured, hedged, conditional, asked about or historical.
# (text, kind); kind "voice" frames put words in the actor's own mouth, so the WTO does not get them.
NONE_FRAMES: list[tuple[str, str]] = [
    ("{third} urged {A} on {wd} to {inf}, saying the delay was costing exporters {bn} a year.", "urge"),
    ("{third} called on {A} to {inf}, according to a letter sent to the government on {wd}.", "urge"),
    ("{osp} urged {A} not to {inf}, saying such a step would harm both economies.", "urge"),
    ("{A} could {inf} as early as next month, {analyst} said in a note to clients.", "modal"),
    ("If the dispute deepens, {A} may {inf}, {analyst} said on {wd}.", "modal"),
    ("{analyst} said it was likely that {A} would {inf} within weeks.", "modal"),
    ("Markets are pricing in a growing chance that {A} will {inf} by the end of the quarter, {analyst} said.", "modal"),
    ("{third} warned that {A} might {inf} in the coming weeks, with {prod} exporters most exposed.", "modal"),
    ("{A} would {inf} only if {cond}, {sp} said on {wd}.", "voice"),
    ("Should {A} {inf}, {analyst} estimated that about {bn} in trade would be affected.", "cond"),
    ("{sp} said {A} reserved the right to {inf} if {cond}.", "voice"),
    ("Will {A} {inf} before the summer?", "question"),
    ("Whether {A} will {inf} remains an open question, {analyst} said.", "question"),
    ("Asked whether {A} would {inf}, {sp} declined to comment.", "voice"),
    ("{sp} said it was too early to say whether {A} would {inf}.", "voice"),
    ("{third} accused {A} of plotting to {inf}, a charge officials did not address.", "allege"),
    ("{osp} accused {A} of preparing to {inf}, according to a statement released on {wd}.", "allege"),
    ("{osp} claimed that {A} was about to {inf}, although no decision had been announced.", "allege"),
    ("People familiar with the matter said {A} was weighing whether to {inf}.", "rumour"),
    ("{A} is considering plans to {inf}, according to two people with knowledge of the discussions who asked not to be named.", "rumour"),
    ("A local newspaper reported that {A} was drawing up plans to {inf}, citing a single unnamed official.", "rumour"),
    ("{A} threatened on {wd} to {inf} unless its concerns were addressed.", "voice"),
    ("In 2018, {A} {past}, a precedent that {third} cited on {wd}.", "history"),
    ("Back in 2019, during an earlier dispute, {A} {past}, {analyst} recalled.", "history"),
    ("The last comparable episode came in 2016, when {A} {past}.", "history"),
]
RUMOUR_KINDS = {"rumour", "allege"}
THREAT_KINDS = {"voice", "modal", "cond", "urge"}

# WTO-specific none lines: speculation about a ruling against the target, urging, history.
WTO_NONE = [
    "A WTO panel could rule on the complaint against {T} by the autumn, trade lawyers said.",
    "Trade lawyers said a WTO panel was unlikely to issue findings on the {tadj} duties before next year.",
    "Will the WTO rule against {T} in time to make a difference?",
    "Should a WTO panel find against {T}, the ruling could be appealed into a void, given the paralysis of the appeals system.",
    "In 2022, a WTO panel ruled against {T} in a dispute over steel and aluminium duties, a decision that was appealed.",
    "{osp} urged the WTO to rule quickly on the complaint against {T}, according to a statement on {wd}.",
    "{analyst} said a WTO ruling against {T} was possible but would take at least a year.",
]

# The actor as the patient of a measure whose author is not named: none for every key.
PATIENT = [
    "{adj} exporters of {prod} were hit with duties of {pct} percent on {wd}, industry groups said.",
    "Shipments of {prod} from {A} face new charges at foreign borders from {wd}, according to freight forwarders.",
    "{adj} steelmakers said they had lost orders worth {bn} since the duties were imposed on their products.",
    "{adj} exporters of {prod} were caught up in the latest round of tariffs, a trade association said on {wd}.",
    "Producers in {A} said the new licensing rules for {ecp} had delayed deliveries by weeks.",
    "{adj} carmakers were told on {wd} that their vehicles would face a {pct} percent duty at the border.",
]

# Mentions without a stance: (text, which actors it fits: "any", "states", "fx").
MENTIONS: list[tuple[str, str]] = [
    ("{A} reported a merchandise trade surplus of {bn} for February, customs data released on {wd} showed.", "states"),
    ("{adj} factory output rose {small} percent in February from the previous month, the statistics office said.", "states"),
    ("{sp} is due to travel to {city} next week for a meeting of finance ministers, according to an official schedule.", "states"),
    ("Shares of {adj} carmakers fell {small} percent in early trading on {wd}.", "states"),
    ("Inflation in {A} slowed to {small} percent in February, official data showed on {wd}.", "states"),
    ("The {adj} government unveiled a {bn} support package for exporters on {wd}, the finance ministry said in a statement.", "states"),
    ("Port volumes in {A} fell {small} percent in the week to {wd}, according to figures from the port authority.", "any"),
    ("{sp} will hold a news conference on {wd} to present the quarterly economic outlook.", "states"),
    ("Business confidence in {A} fell to its lowest level since 2020, according to a survey published on {wd}.", "any"),
    ("{A} said it would publish revised growth forecasts at the end of the month.", "any"),
    ("{Ap} economy grew {small} percent in the fourth quarter, slightly below the median forecast in a poll of economists.", "states"),
    ("Consumer spending in {A} held up better than expected in February, retail figures showed.", "states"),
    ("{sp} met business leaders on {wd} to hear their concerns about jobs and investment.", "any"),
    ("Unemployment in {A} was unchanged in February, the statistics office said.", "states"),
    ("{adj} exporters of {prod} reported a sharp rise in inquiries from buyers in Southeast Asia, an industry body said.", "any"),
    ("The main {adj} stock index closed {small} percent lower on {wd}, led by industrial shares.", "states"),
    ("A delegation of {adj} business leaders is in {city} this week for an investment forum.", "any"),
    ("{sp} told lawmakers on {wd} that the government was monitoring the situation closely.", "states"),
    ("Government figures in {A} showed tax revenue in the first two months of the year rose {small} percent.", "states"),
    ("Car sales in {A} rose {small} percent in February from a year earlier, an industry association said.", "any"),
    ("{A} and {B} agreed on {wd} to expand cooperation on disaster relief and student exchanges, a joint statement said.", "any"),
    ("Officials from {A} and {B} discussed energy security and migration at a meeting in {city}, according to a joint readout.", "any"),
    ("Freight traffic on rail lines in {A} dipped {small} percent last month, operators said.", "any"),
    ("The {adj} statistics office revised its estimate of fourth-quarter growth to {small} percent.", "states"),
    ("{sp} declined to comment on market movements at a briefing on {wd}, saying the focus was on domestic demand.", "any"),
    ("Housing starts in {A} fell for a second month in February, official figures showed.", "states"),
    ("{Ap} sovereign credit rating was affirmed by a major agency on {wd}, with a stable outlook.", "states"),
    ("Electricity demand in {A} hit a record during a cold snap, the grid operator said.", "states"),
    ("A {adj} shipbuilder won an order for six container vessels worth {bn}, the company said on {wd}.", "any"),
    ("{adj} farm exports to Southeast Asia rose {small} percent in the first two months of the year.", "any"),
    ("Tourist arrivals in {A} rose {small} percent in February from a year earlier.", "states"),
    ("The {cur} firmed {small} percent against the dollar in {adj} trading on {wd}.", "fx"),
    ("The {cur} slipped to a three-week low on {wd} as {adj} bond yields fell.", "fx"),
    ("{A} will host a meeting of agriculture ministers from the Group of 20 later this year, officials said.", "states"),
    ("{adj} lawmakers approved a budget that raises spending on ports and rail by {small} percent.", "states"),
    ("{sp} is expected to attend a regional summit in {city} later this month.", "any"),
    ("A {adj} state-owned lender reported a {small} percent rise in quarterly profit on {wd}.", "states"),
    ("Retail sales in {A} beat forecasts in February, helped by spending on electronics.", "states"),
    ("The {adj} government said it would release a new industrial strategy before {fmonth}.", "states"),
    ("Container throughput at the largest port in {A} reached a record in February, the operator said.", "states"),
]
WTO_MENTIONS = [
    "The WTO cut its forecast for growth in global merchandise trade this year to {small} percent, the organization said on {wd}.",
    "Members of the World Trade Organization met in Geneva on {wd} for a General Council session on reform of the dispute settlement system.",
    "{wsp} said the multilateral trading system was under the greatest strain in its history, in a speech in {city}.",
    "The WTO secretariat published its annual review of trade-related measures, which counted {n} new import restrictions since October.",
    "Preparations for the next WTO ministerial conference continued in Geneva, with members divided over fisheries subsidies.",
    "{wsp} told reporters that the budget of the World Trade Organization for next year would be held flat.",
    "The appeals body of the WTO has been unable to hear cases since 2019, leaving dozens of disputes in limbo.",
    "A WTO committee on agriculture reviewed notifications of farm support on {wd}, according to the organization.",
    "{wsp} urged members to keep trade channels open and to use the committees of the WTO to air grievances.",
    "The new trade monitoring report of the WTO, released on {wd}, said new tariffs now covered about {pct} percent of world goods imports.",
    "Ambassadors at the WTO met informally on {wd} to discuss a possible package on electronic commerce.",
    "The World Trade Organization elected a new chair for its dispute settlement body on {wd}.",
    "WTO economists said trade in services had held up better than trade in goods in the first quarter.",
    "The WTO said it would hold a public forum in Geneva in September on trade and climate change.",
]

BACKGROUND = [
    "Brent crude futures rose 1.2 percent to $74.10 a barrel by midday in London.",
    "Container freight rates on the main Asia-Europe lanes fell for a fourth straight week, according to an index compiled by Fairhaven Logistics.",
    "Spot iron ore prices slipped 0.9 percent in Singapore trading, weighed down by weaker steel margins.",
    "Soybean futures in Chicago edged 0.4 percent higher as traders squared positions ahead of the weekend.",
    "Gold rose to a record $3,150 an ounce as investors sought shelter from trade uncertainty.",
    "The Baltic Dry Index, which tracks the cost of shipping raw materials, gained 3 percent on the session.",
    "A strike by dock workers at the port of Antwerp delayed the unloading of at least 40 vessels, a union official said.",
    "Copper for three-month delivery on the London Metal Exchange climbed to $9,870 a tonne.",
    "Shipping insurers raised premiums for cargoes routed through the Red Sea by about 15 percent, brokers said.",
    "Wheat prices eased after forecasts pointed to a larger-than-expected harvest in the southern hemisphere.",
    "Equity markets in Asia closed mixed, with losses in technology shares offset by gains among utilities.",
    "Airfreight volumes rose 6 percent year on year in February, an industry association said in its monthly report.",
    "A survey of purchasing managers showed new export orders contracting for a third consecutive month.",
    "Investment banks trimmed their forecasts for world trade growth to between 1 and 2 percent for the year.",
    "Shares in logistics companies fell broadly, led by a 4.3 percent drop among freight forwarders.",
    "Demand for warehouse space near major ports rose sharply as importers stockpiled goods, property consultants said.",
    "The price of lithium carbonate fell to its lowest level in four years, according to a pricing agency.",
    "Ocean carriers announced cancelled sailings on several trans-Pacific routes for the coming month.",
    "Coffee futures jumped 5 percent after dry weather damaged crops in key growing regions.",
    "A major chipmaker said its quarterly revenue would come in at the top end of its guidance.",
    "Bond yields rose across developed markets as investors reassessed the outlook for inflation.",
    "Traffic through the Panama Canal recovered to 36 transits a day, the canal authority said.",
    "Importers rushed to clear goods through customs before the new rates applied, brokers reported.",
    "Steel prices in northern markets climbed to a 10-month high on tight supply.",
    "Car dealers reported a rush of buyers seeking to get ahead of expected price rises.",
    "The cost of hedging against currency swings rose to its highest level since 2022, according to options data.",
    "A cargo ship ran aground near the entrance to a busy strait, briefly halting traffic, the coastguard said.",
    "Aluminium premiums paid by buyers in the Midwest surged to a record, according to a pricing agency.",
    "Farm groups said fertiliser prices had risen about 18 percent since the start of the year.",
    "Trade finance lenders said demand for letters of credit had climbed as exporters sought protection.",
    "Analysts at Rennick Securities said the dispute could shave 0.4 percentage points off global growth this year.",
    "Freight forwarders said booking cancellations had risen sharply in the past fortnight.",
    "Natural gas prices in Europe fell 2 percent on mild weather forecasts.",
    "A consortium of shipping lines said it would add capacity on routes to Southeast Asia.",
    "The benchmark stock index slipped 0.6 percent in early trading, with exporters among the biggest losers.",
    "Orders for heavy trucks fell 11 percent in February from a year earlier, an industry tracker said.",
    "Toy makers warned that holiday season prices could rise if input costs kept climbing.",
    "Semiconductor stocks rebounded after a three-day slide, led by equipment makers.",
    "Rail operators reported a 7 percent increase in container volumes moved inland from coastal ports.",
    "Pork prices fell to a five-month low as export orders dried up, traders said.",
    "Marine fuel prices in Singapore, the largest bunkering hub in the world, were little changed.",
    "A trade show for industrial machinery opened in Hanover with fewer exhibitors than last year.",
    "The number of ships waiting to enter the port of Rotterdam fell to 12 from 19 a week earlier.",
    "Several retailers said they had begun shifting orders to suppliers in Vietnam and Malaysia.",
    "Commodity currencies weakened as metals prices retreated from recent highs.",
    "A ratings agency said exporters of industrial goods faced the greatest risk of downgrades this year.",
    "Insurers said claims tied to cargo delays had risen 9 percent in the first quarter.",
    "The price of shipping a 40-foot container from Shanghai to Rotterdam fell to $2,950, a freight index showed.",
    "Cocoa prices fell 3 percent in New York trading after weeks of gains.",
    "Logistics executives gathered in Rotterdam for an annual conference on supply chain resilience.",
    "Manufacturing surveys from several economies showed input prices rising at the fastest pace in two years.",
    "Hedge funds increased bets on a weaker dollar, according to positioning data released at the end of the week.",
    "Economists polled by a news agency expect inflation to ease only gradually this year.",
    "A dredging contract worth $410 million was awarded for the expansion of a deepwater port.",
    "Demand for air cargo space out of major electronics hubs rose ahead of the new rates, forwarders said.",
    "The cost of chartering a car carrier for a year rose to about $115,000 a day, brokers said.",
    "Cotton futures hit a six-week low on weak export demand.",
    "Auto parts suppliers said they had begun passing higher costs on to carmakers.",
    "Stock markets in Europe ended higher, led by defence and utility shares.",
    "Business groups said customs brokers were struggling to keep up with the volume of new rules.",
    "The price of palm oil rose for a second day on stronger demand from refiners.",
    "Volatility gauges for equity and currency markets eased slightly from the highs of last week.",
    "A leading container line said it expected the trade turmoil to weigh on volumes through the summer.",
    "Lumber futures swung sharply as traders tried to price in the latest tariff headlines.",
    "Investors pulled money out of emerging market funds for a fifth straight week, according to fund flow data.",
    "Nickel prices rose 2.4 percent after a major producer cut its output guidance.",
    "A shortage of empty containers at inland depots pushed up trucking rates, operators said.",
    "Sugar futures fell to a three-month low on expectations of a bumper crop.",
    "The number of companies citing tariffs on earnings calls hit a record this quarter, according to a transcript analysis by Lanford Research.",
    "Customs brokers reported queues of up to six hours at several busy land crossings.",
]

OUTLETS = [
    ("Northgate Wire", "northgate-wire.example"),
    ("Tidewater Press Agency", "tidewater-press.example"),
    ("Consolidated Newswire", "consolidated-newswire.example"),
    ("Meridian Markets Desk", "meridian-markets.example"),
    ("Harbourline Business", "harbourline.example"),
    ("Keystone Financial Post", "keystone-fp.example"),
    ("Bellwether Trade Report", "bellwether-trade.example"),
    ("Pacific Rim Dispatch", "pacificrim-dispatch.example"),
    ("Atlas Commodities Daily", "atlas-commodities.example"),
    ("Continental Ledger", "continental-ledger.example"),
    ("Granite Street Journal", "granite-street.example"),
    ("Eastbridge News Service", "eastbridge-news.example"),
]
NEUTRAL_DATELINES = ["LONDON", "SINGAPORE", "NEW YORK", "FRANKFURT", "ROTTERDAM", "HONG KONG", "GENEVA"]
HEADLINES: dict[str, tuple[str, str, str]] = {
    "tariffs": ("{N} imposes new tariffs on goods from {TN}", "{N} pulls back on tariffs against {TN}",
                "Tariff threat hangs over exporters in {TN}"),
    "retaliation": ("{N} hits back at {TN} with counter-tariffs", "{N} holds fire on retaliation against {TN}",
                    "Pressure builds on {N} to retaliate"),
    "export_controls": ("{N} tightens export controls aimed at {TN}", "{N} eases export curbs on {TN}",
                        "Export curbs in focus as {N} weighs options"),
    "negotiate": ("{N} and {TN} hold trade talks", "{N} rebuffs trade talks with {TN}",
                  "Talk of a {N}-{TN} trade deal grows"),
    "wto_dispute": ("{N} takes {TN} to the WTO", "{N} steers clear of WTO fight with {TN}",
                    "WTO route under discussion in {N}"),
    "lift_duties": ("{N} suspends duties on goods from {TN}", "{N} keeps duties on {TN} in place",
                    "Exporters in {TN} press {N} for tariff relief"),
    CURRENCY: ("{N} steps into currency market", "{N} denies currency intervention",
               "Traders on alert for {N} intervention"),
    "panel_ruling": ("WTO panel rules in trade dispute", "WTO panel sides with {TN}",
                     "Lawyers weigh odds of a WTO ruling"),
}
GENERIC_HEADLINES = [
    "Trade roundup: tariffs, talks and markets", "Markets digest the latest trade moves",
    "Exporters brace for a long dispute", "Wire summary: global trade", "Freight, metals and the trade war",
    "Business wrap: ports, prices and policy", "Tariff tracker: the day in brief",
]

# Lines about other actors or targets, to be rendered with no rule-key label (another actor doing a
# stance, or the same stance toward another target).
DISTRACTORS: list[tuple[str, str, str | None, str]] = [
    ("united_states", "tariffs", "japan", "expresses"),
    ("united_states", "tariffs", "european_union", "expresses"),
    ("united_states", "tariffs", "india", "expresses"),
    ("canada", "tariffs", "china", "expresses"),
    ("mexico", "tariffs", "china", "expresses"),
    ("european_union", "tariffs", "china", "expresses"),
    ("china", "retaliation", "canada", "expresses"),
    ("china", "retaliation", "european_union", "expresses"),
    ("india", "retaliation", "united_states", "denies"),
    ("china", "export_controls", "japan", "expresses"),
    ("japan", "export_controls", "china", "expresses"),
    ("european_union", "export_controls", "china", "expresses"),
    ("european_union", "negotiate", "india", "expresses"),
    ("canada", "negotiate", "european_union", "expresses"),
    ("mexico", "negotiate", "canada", "expresses"),
    ("japan", "negotiate", "european_union", "expresses"),
    ("european_union", "wto_dispute", "china", "expresses"),
    ("canada", "wto_dispute", "china", "expresses"),
    ("china", "wto_dispute", "canada", "expresses"),
    ("wto", "panel_ruling", "india", "expresses"),
    ("wto", "panel_ruling", "china", "expresses"),
    ("wto", "panel_ruling", "european_union", "denies"),
    ("china", CURRENCY, None, "denies"),
    ("india", CURRENCY, None, "expresses"),
    ("canada", "lift_duties", "china", "denies"),
    ("european_union", "lift_duties", "china", "denies"),
]

# -- 3. the schedule -------------------------------------------------------------------------------------
# Per rule: segments (first day, last day + 1, expressing, denying, none sentences a day, none kinds).
Segment = tuple[int, int, float, float, float, set[str] | None]
DRIFT_RULE = "china-export-controls-us"
DRIFT_BASE_END = 16  # the drift's baseline days are 0..15; the ramp climbs over days 16..34
PLAN: dict[str, list[Segment]] = {
    "us-tariffs-canada": [(0, 3, 0, 0, 0.3, None), (3, 8, 0, 0, 1.4, THREAT_KINDS), (8, 10, 5, 0, 0.5, None),
                          (10, DAYS, 1.1, 0, 0.5, None)],
    "canada-retaliates-us": [(0, 8, 0, 0, 0.2, None), (8, 11, 0, 1.0, 1.3, THREAT_KINDS),
                             (11, 13, 5, 0, 0.5, None), (13, DAYS, 1.0, 0, 0.5, None)],
    "us-export-controls-china": [(0, 5, 0, 0, 0.2, None), (5, 15, 0, 0.2, 0.6, None), (15, 17, 5, 0, 0.5, None),
                                 (17, DAYS, 0.8, 0, 0.4, None)],
    "eu-wto-us": [(0, 12, 0, 0, 0.3, None), (12, 22, 0, 0.25, 0.6, None), (22, 24, 5, 0, 0.4, None),
                  (24, DAYS, 0.7, 0, 0.4, None)],
    DRIFT_RULE: [(0, DRIFT_BASE_END, 1.5, 0, 0.5, None)]
    + [(d, d + 1, 1.5 + 0.3 * (d - DRIFT_BASE_END + 1), 0, 0.5, None) for d in range(DRIFT_BASE_END, 35)]
    + [(35, DAYS, 2.0, 0, 0.4, None)],
    "us-lifts-mexico": [(0, 18, 0, 0, 0.3, None), (18, 30, 0, 0.35, 0.6, None), (30, 32, 5, 0, 0.5, None),
                        (32, DAYS, 0.8, 0, 0.4, None)],
    "japan-talks-us": [(0, 20, 0, 0, 0.3, None), (20, 46, 0, 0.15, 0.4, None), (46, 48, 5, 0, 0.4, None),
                       (48, DAYS, 1.0, 0, 0.4, None)],
    "japan-currency-fall": [(0, 26, 1.3, 0, 0.4, None), (26, 28, 0, 4, 0.4, None), (28, DAYS, 0, 0.4, 0.3, None)],
    "china-tariffs-us-fall": [(0, 40, 1.2, 0, 0.4, None), (40, 42, 0, 4, 0.4, None),
                              (42, DAYS, 0, 0.6, 0.3, None)],
    "eu-retaliation-us-quiet": [(0, DAYS, 0, 0.45, 0.6, THREAT_KINDS | {"question", "history"})],
    "india-talks-us-quiet": [(0, DAYS, 0.9, 0, 0.4, None)],
    "wto-ruling-us-quiet": [(0, DAYS, 0, 0, 0.25, None)],
    "mexico-retaliation-us-quiet": [(0, 17, 0, 0.1, 0.25, None), (17, 18, 0, 2, 4, RUMOUR_KINDS),
                                    (18, 19, 0, 3, 2, RUMOUR_KINDS), (19, 20, 0, 1, 0.5, None),
                                    (20, DAYS, 0, 0.1, 0.25, None)],
}
# Alternative (stance, label) pools for a rule's lines: China's tariffs are tit-for-tat counter-tariffs
# (which are tariffs on US goods) and its suspension of them is a reversal of tariffs.
POOLS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("china-tariffs-us-fall", "expresses"): [("tariffs", "expresses"), ("retaliation", "expresses")],
    ("china-tariffs-us-fall", "denies"): [("tariffs", "denies"), ("retaliation", "denies"),
                                          ("lift_duties", "expresses")],
}
RISES = {"us-tariffs-canada": 8, "canada-retaliates-us": 11, "us-export-controls-china": 15, "eu-wto-us": 22,
         "us-lifts-mexico": 30, "japan-talks-us": 46}
FALLS = {"japan-currency-fall": 26, "china-tariffs-us-fall": 40}
WTO_BURST = range(41, 45)  # an unrelated burst of WTO coverage (the quiet panel-ruling rule stays quiet)
BURST_DAYS = set(RISES.values()) | {d + 1 for d in RISES.values()} | set(FALLS.values())


def cap(text: str) -> str:
    i = 1 if text.startswith('"') else 0
    return text[:i] + text[i].upper() + text[i + 1 :]


def slots(rng: random.Random, day: int, actor: str, target: str | None) -> dict[str, str]:
    f = FORMS[actor]
    g = FORMS[target] if target else None
    others = [a for a in STATES if a != actor]
    when = START + timedelta(days=day - rng.choice([0, 0, 0, 1]))
    pct = rng.choice(PCT)
    return {
        "A": rng.choice(f.nouns),
        "Ap": rng.choice(f.poss),
        "adj": rng.choice(f.adj),
        "sp": rng.choice(f.speakers),
        "cur": f.currency,
        "Cur": f.currency[:1].upper() + f.currency[1:],
        "T": rng.choice(g.targets) if g else "",
        "Tp": rng.choice(g.poss) if g else "",
        "tadj": rng.choice(g.adj) if g else "",
        "osp": rng.choice(FORMS[rng.choice(others)].speakers),
        "wsp": rng.choice(FORMS["wto"].speakers),
        "B": rng.choice(FORMS[rng.choice([a for a in others if a != target] or others)].nouns),
        "third": rng.choice(THIRD),
        "analyst": rng.choice(ANALYST),
        "tail": rng.choice(TAIL),
        "pct": pct,
        "low": rng.choice(LOW),
        "bn": rng.choice(BN),
        "prod": rng.choice(PROD),
        "ecp": rng.choice(ECP),
        "wd": when.strftime("%A"),
        "fmonth": rng.choice(FMONTH),
        "pmonth": rng.choice(PMONTH),
        "n": rng.choice(NUM),
        "small": rng.choice(SMALL),
        "rate": rng.choice(RATE),
        "city": rng.choice(CITY),
    }


def fill(rng: random.Random, text: str, s: dict[str, str], stance: str | None = None) -> str:
    if stance is not None:
        s = dict(s)
        for name, table in (("inf", INF), ("past", PAST), ("cond", COND)):
            s[name] = rng.choice(table[stance]).format(**s)
    text = text.format(**s).replace(" ,", ",").replace(",.", ".").replace(",,", ",")
    return cap(text)


def key_of(actor: str, stance: str, target: str | None) -> Key:
    return (actor, stance, None if stance == CURRENCY else target)


def labels_for(
    actor: str, stance: str, target: str | None, label: str, extra: dict[str, str]
) -> dict[Key, str]:
    """Every (actor, stance, target) label a sentence carries, rule key or not."""
    out: dict[Key, str] = {}
    for s, lab in {stance: label, **IMPLIED.get((stance, label), {}), **extra}.items():
        if s.startswith("~"):
            assert target is not None
            out[key_of(target, s[1:], actor)] = lab
        else:
            out[key_of(actor, s, target)] = lab
    return out


def consistent(labels: dict[Key, str], day: int) -> bool:
    for key, lab in labels.items():
        if key in ACTIVE and (lab == "expresses") != (day in ACTIVE[key]):
            return False
    return True


def stance_line(
    rng: random.Random, day: int, actor: str, stance: str, target: str | None, label: str
) -> Line:
    """A sentence in which `actor` expresses or denies `stance` toward `target`, consistent with the day."""
    if stance == "lift_duties" and label == "denies":  # refusing to lift is not clearly imposing: keep apart
        assert (actor, "tariffs", target) not in KEYS
    own = EXPRESS[stance] if label == "expresses" else DENY[stance]
    frames = REPORT_EXPRESS if label == "expresses" else REPORT_DENY
    if label == "expresses" and stance in WELCOME_STANCES:
        frames = [*frames, WELCOMED]
    for _ in range(200):
        s = slots(rng, day, actor, target)
        if stance != "panel_ruling" and rng.random() < 0.22:
            text, extra = fill(rng, rng.choice(frames), s, stance), NO
        else:
            tpl, extra = rng.choice(own)
            text = fill(rng, tpl, s)
        labels = labels_for(actor, stance, target, label, extra)
        if consistent(labels, day):
            return Line(text, {k: v for k, v in labels.items() if k in KEYS})
    raise ValueError(f"no consistent sentence for {actor} {stance} {target} {label} on day {day}")


def none_line(
    rng: random.Random, day: int, actor: str, stance: str, target: str | None, kinds: set[str] | None
) -> Line:
    s = slots(rng, day, actor, target)
    if actor == "wto":
        return Line(fill(rng, rng.choice(WTO_NONE), s))
    frames = [t for t, k in NONE_FRAMES if kinds is None or k in kinds]
    if rng.random() < 0.12 and kinds is None:
        return Line(fill(rng, rng.choice(PATIENT), s))
    return Line(fill(rng, rng.choice(frames), s, stance))


def distractor_line(rng: random.Random, day: int) -> tuple[Line, str]:
    while True:
        actor, stance, target, label = rng.choice(DISTRACTORS)
        line = stance_line(rng, day, actor, stance, target, label)
        if not line.labels:
            return Line(line.text), actor


def mention_line(rng: random.Random, day: int) -> tuple[Line, str]:
    if rng.random() < 0.06:
        return Line(fill(rng, rng.choice(WTO_MENTIONS), slots(rng, day, "wto", None))), "wto"
    while True:
        text, fits = rng.choice(MENTIONS)
        actor = rng.choice(STATES)
        if (fits == "any" or actor != "european_union") and (fits != "fx" or actor != "united_states"):
            s = slots(rng, day, actor, None)
            country = FORMS[actor].targets[0]  # "Retail sales in Canada", never "in the Canadian government"
            s["A"], s["Ap"] = country, country + ("'" if country.endswith("s") else "'s")
            return Line(fill(rng, text, s)), actor


@dataclass
class Item:
    line: Line
    actor: str | None
    stance: str | None = None
    target: str | None = None
    label: str = "none"
    rule: str | None = None


def day_items(rng: random.Random, day: int, acc: dict[tuple[str, str], float]) -> list[Item]:
    """The stance, none and distractor lines of one day, from the plan (fractional rates accumulate)."""
    items: list[Item] = []
    for rule_id, segments in PLAN.items():
        actor, stance, target = RULE_KEYS[rule_id]
        seg = next(s for s in segments if s[0] <= day < s[1])
        for label, rate in (("expresses", seg[2]), ("denies", seg[3]), ("none", seg[4])):
            acc[(rule_id, label)] += rate
            count = int(acc[(rule_id, label)])
            acc[(rule_id, label)] -= count
            for _ in range(count):
                if label == "none":
                    line = none_line(rng, day, actor, stance, target, seg[5])
                    items.append(Item(line, actor, stance, target, "none", rule_id))
                    continue
                use_stance, use_label = rng.choice(POOLS.get((rule_id, label), [(stance, label)]))
                line = stance_line(rng, day, actor, use_stance, target, use_label)
                assert line.labels.get((actor, stance, target)) == label, (rule_id, line.text)
                items.append(Item(line, actor, use_stance, target, use_label, rule_id))
    for _ in range(3):
        line, actor = distractor_line(rng, day)
        items.append(Item(line, actor))
    if day in WTO_BURST:
        for _ in range(6):
            text = fill(rng, rng.choice(WTO_MENTIONS), slots(rng, day, "wto", None))
            items.append(Item(Line(text), "wto", rule="wto-burst"))
    return items


def headline(rng: random.Random, lead: Item) -> str:
    if lead.stance is None or lead.actor is None:
        return rng.choice(GENERIC_HEADLINES)
    exp, den, non = HEADLINES[lead.stance]
    text = {"expresses": exp, "denies": den}.get(lead.label, non)
    tn = FORMS[lead.target].short if lead.target else ""
    return text.format(N=FORMS[lead.actor].short, TN=tn)


def build_articles(rng: random.Random) -> tuple[list[Article], dict[str, dict[str, str]]]:
    acc: dict[tuple[str, str], float] = defaultdict(float)
    articles: list[Article] = []
    meta: dict[str, dict[str, str]] = {}  # article id -> rule id -> label of its evidence
    for day in range(DAYS):
        date = START + timedelta(days=day)
        items = day_items(rng, day, acc)
        weekend = date.weekday() >= 5
        n_articles = (8 if weekend else 12) + rng.choice([-1, 0, 0, 1]) + (2 if day in BURST_DAYS else 0)
        n_articles = max(n_articles, *Counter(i.rule for i in items if i.rule).values())
        slots_: list[list[Item]] = [[] for _ in range(n_articles)]
        # stance lines first, each rule at most once an article, spread over the day's articles
        order = sorted(items, key=lambda i: (i.label == "none", rng.random()))
        for item in order:
            free = [
                k
                for k in range(n_articles)
                if not (item.rule and any(x.rule == item.rule for x in slots_[k]))
            ]
            low = min(len(slots_[k]) for k in free)
            k = rng.choice([k for k in free if len(slots_[k]) <= low + 1])
            slots_[k].append(item)
        times = sorted(rng.randrange(5 * 60, 22 * 60 + 30) for _ in range(n_articles))
        for i, chosen in enumerate(slots_):
            outlet, host = OUTLETS[rng.randrange(len(OUTLETS))]
            length = max(len(chosen), rng.choice([3, 4, 5, 5, 6, 6, 7, 8]))
            lead_items = chosen[:1]
            rest = chosen[1:]
            while len(lead_items) + len(rest) < length:
                if rng.random() < 0.3:
                    line, actor = mention_line(rng, day)
                    rest.append(Item(line, actor))
                else:
                    rest.append(Item(Line(rng.choice(BACKGROUND)), None))
            rng.shuffle(rest)
            if not lead_items:
                lead_items, rest = rest[:1], rest[1:]
            lead = lead_items[0]
            lines = [lead.line] + [x.line for x in rest]
            if rng.random() < 0.72:
                city = FORMS[lead.actor].city if lead.actor else rng.choice(NEUTRAL_DATELINES)
                stamp = f"{city}, {date.strftime('%B')} {date.day} ({outlet}) — "
                lines[0] = Line(stamp + lines[0].text, lines[0].labels)
            paragraphs: list[list[Line]] = [lines[:1]]
            j = 1
            while j < len(lines):
                step = rng.choice([1, 2, 2])
                paragraphs.append(lines[j : j + step])
                j += step
            aid = f"trade-{day:02d}-{i:02d}"
            title = headline(rng, lead)
            slug = "-".join(title.lower().replace(":", "").replace(",", "").split()[:6])
            at = date + timedelta(minutes=times[i])
            url = f"https://{host}/markets/{at:%Y/%m/%d}/{slug}-{aid}"
            articles.append(Article(aid, outlet, url, title, at, paragraphs))
            meta[aid] = {x.rule: x.label for x in chosen if x.rule and x.label != "none"}
    return articles, meta


# -- 4. shifts -------------------------------------------------------------------------------------------


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def evidence(articles: list[Article], key: Key, label: str) -> list[Article]:
    return [a for a in articles if any(line.labels.get(key) == label for p in a.paragraphs for line in p)]


def drift_day(articles: list[Article]) -> tuple[int, float]:
    """The first day whose trailing-3-day rate of expressing articles reaches 3x the days 0-15 baseline."""
    per_day = Counter(
        (a.published_at - START).days for a in evidence(articles, RULE_KEYS[DRIFT_RULE], "expresses")
    )
    baseline = sum(per_day[d] for d in range(DRIFT_BASE_END)) / DRIFT_BASE_END
    for day in range(DRIFT_BASE_END, DAYS):
        if sum(per_day[d] for d in range(day - 2, day + 1)) / 3 >= 3 * baseline:
            return day, baseline
    raise ValueError("the drift never reaches 3x its baseline")


def shifts_for(articles: list[Article]) -> tuple[list[dict[str, object]], dict[str, int]]:
    shifts: list[dict[str, object]] = []
    day_of: dict[str, int] = {}
    drift, baseline = drift_day(articles)
    starts = {**RISES, DRIFT_RULE: drift, **FALLS}
    for rule_id, day in starts.items():
        key = RULE_KEYS[rule_id]
        fall = rule_id in FALLS
        since = START + timedelta(days=day)
        hits = [
            a for a in evidence(articles, key, "denies" if fall else "expresses") if a.published_at >= since
        ]
        first = hits[0].published_at
        window = [a for a in hits if a.published_at <= first + timedelta(hours=72)]
        if fall:
            before = [
                a
                for a in evidence(articles, key, "expresses")
                if first - timedelta(days=14) <= a.published_at < first
            ]
            after = [a for a in evidence(articles, key, "expresses") if a.published_at >= first]
            assert len(before) >= 10 and not after, (rule_id, len(before), len(after))
            note = (
                f"fall: {len(before)} expressing articles in the 14 days before, denials only from day {day}"
            )
        else:
            early = [a for a in evidence(articles, key, "expresses") if a.published_at < first]
            first48 = [a for a in hits if a.published_at <= first + timedelta(hours=48)]
            assert len(first48) >= 9 and len({a.source for a in first48}) >= 5, (rule_id, len(first48))
            if rule_id == DRIFT_RULE:
                assert early, rule_id
                note = (
                    f"gradual drift: baseline {baseline:.2f} expressing articles a day (days 0-15); the "
                    f"trailing-3-day rate first reaches 3x on day {day}; {len(first48)} articles in 48 h"
                )
            else:
                assert not early, rule_id
                note = f"rise on day {day}: {len(first48)} expressing articles from {len({a.source for a in first48})} outlets in 48 h"
        day_of[rule_id] = day
        shifts.append(
            {
                "rule_id": rule_id,
                "actor": key[0],
                "stance": key[1],
                "target": key[2],
                "direction": "fall" if fall else "rise",
                "start": stamp(first),
                "end": stamp(window[-1].published_at),
                "note": note,
            }
        )
    for rule_id in ("eu-retaliation-us-quiet", "wto-ruling-us-quiet", "mexico-retaliation-us-quiet"):
        assert not evidence(articles, RULE_KEYS[rule_id], "expresses"), rule_id
    return sorted(shifts, key=lambda s: str(s["start"])), day_of


# -- 5. README -------------------------------------------------------------------------------------------

# fmt: off
DEFINITIONS = [
    ("tariffs", "the actor imposes or raises import duties on goods from the target"),
    ("retaliation", "the actor imposes counter-tariffs on the target's goods in answer to the target's duties"),
    ("export_controls", "the actor restricts, bans or licenses exports of goods or technology to the target"),
    ("negotiate", "the actor seeks, opens or holds negotiations with the target towards a trade agreement"),
    ("wto_dispute", "the actor files or pursues a formal dispute against the target at the WTO"),
    ("lift_duties", "the actor lifts, suspends, cuts or exempts goods from duties it had imposed on the target"),
    (CURRENCY, "the actor's authorities buy or sell currency to move its exchange rate (no target)"),
    ("panel_ruling", "the WTO, through a dispute panel, rules that the target's measures break trade rules"),
]
EXPECTED = {
    "us-tariffs-canada": ("rise", "threats only (none) on days 3-7; US duties on Canada from day 8"),
    "canada-retaliates-us": ("rise", "Ottawa holds off (denies) on days 8-10; counter-tariffs from day 11"),
    "us-export-controls-china": ("rise", "occasional denials; US chip and equipment curbs from day 15"),
    "eu-wto-us": ("rise", "Brussels rules out a case on days 12-21; files at the WTO on day 22"),
    DRIFT_RULE: ("rise (drift)", "1.5 articles a day, climbing from day 16 to about 7 a day by day 34"),
    "us-lifts-mexico": ("rise", "Washington refuses relief on days 18-29; suspends duties on day 30"),
    "japan-talks-us": ("rise", "Tokyo not ready to negotiate (days 20-45); talks open on day 46"),
    "japan-currency-fall": ("fall", "regular intervention days 0-25; denials from day 26"),
    "china-tariffs-us-fall": ("fall", "tit-for-tat tariff rises days 0-39; suspension and denials from day 40"),
    "eu-retaliation-us-quiet": ("quiet", "only denials and threats: Brussels holds off throughout"),
    "india-talks-us-quiet": ("quiet", "steady background of talks, about 0.9 articles a day"),
    "wto-ruling-us-quiet": ("quiet", "never expressed; an unrelated burst of WTO coverage on days 41-44"),
    "mexico-retaliation-us-quiet": ("quiet", "rumours of Mexican counter-tariffs on days 17-18, denied at once"),
}
# fmt: on
# fmt: on


def readme(
    articles: list[Article],
    shifts: list[dict[str, object]],
    day_of: dict[str, int],
    n_templates: tuple[int, int],
) -> str:
    per_day = Counter((a.published_at - START).days for a in articles)
    events: dict[int, list[str]] = defaultdict(list)
    for rule_id, day in day_of.items():
        events[day].append(f"{rule_id} ({'fall' if rule_id in FALLS else 'rise'})")
    for day in WTO_BURST:
        events[day].append("WTO coverage burst")
    events[17].append("rumour of Mexican retaliation, denied")
    lines_total = sum(len(p) for a in articles for p in a.paragraphs)
    labelled = sum(1 for a in articles for p in a.paragraphs for line in p if line.labels)
    out = [
        "# trade: a labelled timeline in a new domain (synthetic)",
        "",
        "Generated by scripts/domains/tariffs.py; synthetic, invented text. Every named person is fictional.",
        "",
        "A fictionalised tariff war in spring 2025 (60 days from Monday 3 March) among the United States, Canada,",
        "Mexico, China, the European Union, Japan, India and the WTO, written as wire copy: datelines such as",
        '"OTTAWA, March 3 (Northgate Wire) — ", long sentences with attribution tails, reported and indirect',
        'speech, nominalisations ("Beijing\'s export curbs"), passives with a by-agent, and figures.',
        "",
        f"Counts: {len(articles)} articles from {len({a.source for a in articles})} outlets, {lines_total} sentences, "
        f"{labelled} sentences with a non-none label; {n_templates[0]} stance-bearing templates and "
        f"{n_templates[1]} neutral or distractor templates.",
        "",
        "## Scenario by day",
        "",
        "| day | date | articles | events |",
        "|---|---|---|---|",
    ]
    for day in range(DAYS):
        date = START + timedelta(days=day)
        out.append(f"| {day} | {date:%a %Y-%m-%d} | {per_day[day]} | {'; '.join(events[day])} |")
    out += ["", "## Stance definitions (written before any sentence)", ""]
    out += [f"- `{name}`: {text}." for name, text in DEFINITIONS]
    out += [
        "",
        "## Rules and expected behaviour",
        "",
        "| rule | actor | stance | target | kind | expected |",
        "|---|---|---|---|---|---|",
    ]
    for rule_id, (actor, stance, target) in RULE_KEYS.items():
        kind, text = EXPECTED[rule_id]
        out.append(f"| {rule_id} | {actor} | {stance} | {target or '-'} | {kind} | {text} |")
    out += [
        "",
        "## Shifts",
        "",
        "`start` is the first evidencing article (expressing for a rise, denying for a fall), `end` the last",
        "within 72 hours. The drift rule (china-export-controls-us) is labelled at the first expressing article",
        "of the first day on which the trailing-3-day rate of expressing articles (that day and the two before,",
        "divided by 3) reaches 3x the baseline rate of days 0-15.",
        "",
        "| rule | direction | start | end | note |",
        "|---|---|---|---|---|",
    ]
    for s in shifts:
        out.append(f"| {s['rule_id']} | {s['direction']} | {s['start']} | {s['end']} | {s['note']} |")
    out += [
        "",
        "## Labelling notes",
        "",
        "- Counter-tariffs are tariffs on the target's goods, so a retaliation sentence also labels `tariffs`;",
        "  lifting or suspending duties denies `tariffs`. China's tariffs on the US are written both ways.",
        "- A sentence that names the target's current duties (\"in response to Washington's levies\") also",
        "  expresses the target's `tariffs` toward the actor where that is a rule key (us-tariffs-canada).",
        "- `none`: urging, allegations (accused, claimed), rumours, modals, conditionals, threats, questions,",
        "  history (2016-2022), the actor as the patient of a measure, another actor or another target.",
        "- Datelines name cities in capitals (OTTAWA, BEIJING), which count as mentions of their actor.",
        "",
    ]
    return "\n".join(out)


def template_counts() -> tuple[int, int]:
    stance = sum(len(v) for v in EXPRESS.values()) + sum(len(v) for v in DENY.values())
    stance += len(REPORT_EXPRESS) + len(REPORT_DENY) + 1
    neutral = (
        len(NONE_FRAMES) + len(WTO_NONE) + len(PATIENT) + len(MENTIONS) + len(WTO_MENTIONS) + len(BACKGROUND)
    )
    return stance, neutral


def build(out: Path) -> None:
    rng = random.Random(SEED)
    articles, _ = build_articles(rng)
    shifts, day_of = shifts_for(articles)
    counts = template_counts()
    write_timeline(out, RULES_YAML, articles, shifts, readme(articles, shifts, day_of, counts))
    lines = [line for a in articles for p in a.paragraphs for line in p]
    print(f"templates: {counts[0]} stance-bearing, {counts[1]} neutral; sentences: {len(lines)}")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
