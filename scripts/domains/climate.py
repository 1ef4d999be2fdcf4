"""A labelled timeline in a new domain: a fictionalised UN climate summit, its run-up and aftermath (2025).

    python -m scripts.domains.climate OUT_DIR

House style: a LIVE BLOG. No datelines; short present-tense sentences, headline-like fragments that still end
with a period, time stamps inside sentences ("At 14:05 the Saudi delegation ..."), quotes introduced with a
colon inside one sentence, rhetorical questions, negotiation jargon and nominalisations ("the Indian walkout").
Whole-sentence templates per stance and polarity (E expresses, D denies, N neither); the label of a rendered
sentence follows from who does what: a template rendered for (actor, stance, target) carries a label only
when that triple is a rule key, so another actor doing the stance, or the same stance toward another target,
is `none` by construction. Rules first (RULES_YAML, from one-line definitions), then templates, then the
schedule. Synthetic, invented text; every named person is fictional.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from monitor.actors import ActorMatcher
from scripts.domains.common import Article, Key, Line, write_timeline

SEED = 20251110
START = datetime(2025, 10, 27, tzinfo=UTC)  # a Monday; the summit runs from day 14 to day 27 (+1 overrun)
DAYS = 45
SUMMIT_OPEN, SUMMIT_CLOSE = 14, 28

# --- 1. definitions, then the rules (written before any sentence template) ------------------------------
DEFINITIONS = {
    "climate_finance": "the actor commits new public money for climate action in the target, naming a sum, "
    "a fund or a delivery date",
    "fossil_phaseout": "the actor commits to phasing out or transitioning away from fossil fuels, or formally "
    "backs a text or roadmap that does so",
    "blocks_text": "the actor objects to a negotiating text so that it cannot be adopted by consensus",
    "loss_damage": "the actor supports the loss-and-damage fund by paying in, pledging to it or formally "
    "backing its operation",
    "walkout": "the actor leaves or boycotts a negotiating session in protest",
    "new_target": "the actor announces a new or strengthened national emissions-reduction target",
    "coalition": "the actor joins or forms a negotiating coalition or joint position with the target",
}

RULES_YAML = """\
# Climate summit (synthetic live blog). Stances written from one-line definitions before any sentence.
actors:
  india:
    name: "India"
    aliases: ["India", "Indian", "New Delhi", "Arjun Mehrotra", "Mehrotra"]
  brazil:
    name: "Brazil"
    aliases: ["Brazil", "Brazilian", "Brasilia", "Helena Carvalho", "Carvalho"]
  china:
    name: "China"
    aliases: ["China", "Chinese", "Beijing", "Zhou Minghui"]
  saudi_arabia:
    name: "Saudi Arabia"
    aliases: ["Saudi Arabia", "Saudi", "Riyadh", "Khalid Al-Rashed", "Al-Rashed"]
  european_union:
    name: "European Union"
    aliases: ["European Union", "EU", "Brussels", "Katrin Vosberg", "Vosberg"]
  united_states:
    name: "United States"
    aliases: ["United States", "US", "Washington", "American", "Daniel Whitcomb", "Whitcomb"]
  aosis:
    name: "Alliance of Small Island States"
    aliases: ["AOSIS", "Alliance of Small Island States", "Losana Vaka", "Vaka"]
  australia:
    name: "Australia"
    aliases: ["Australia", "Australian", "Canberra", "Tom Kearney", "Kearney"]
stances:
  climate_finance:
    # the actor commits new public money for climate action in the target, naming a sum, a fund or a date
    label: "pledges climate finance"
    examples:
      - "{actor} pledged new climate finance for {target}"
      - "{actor} committed two billion dollars to adaptation projects in {target}"
      - "{actor} announced a grant package for {target}"
      - "A new fund contribution for {target} was promised by {actor}"
      - "{actor} said it would deliver fresh climate money to {target} next year"
    counter_examples:
      - "{actor} declined to offer new money to {target}"
      - "{actor} said it had no additional finance for {target}"
      - "{actor} cancelled its promised grants to {target}"
  fossil_phaseout:
    # the actor commits to phasing out fossil fuels, or formally backs a text or roadmap that does so
    label: "commits to a fossil-fuel phase-out"
    examples:
      - "{actor} committed to phasing out fossil fuels"
      - "{actor} endorsed a roadmap to transition away from coal, oil and gas"
      - "{actor} backed language on ending fossil fuel use"
      - "{actor} set a date to stop producing oil"
    counter_examples:
      - "{actor} refused to commit to a fossil fuel phase-out"
      - "{actor} opposed any reference to phasing out fossil fuels"
      - "{actor} said it would keep expanding oil production"
  blocks_text:
    # the actor objects to a negotiating text so that it cannot be adopted by consensus
    label: "blocks a negotiating text"
    examples:
      - "{actor} blocked adoption of the draft decision"
      - "{actor} objected to the text, denying it consensus"
      - "The agreement was vetoed by {actor}"
      - "{actor} refused to let the decision be gavelled through"
    counter_examples:
      - "{actor} withdrew its objection to the text"
      - "{actor} joined the consensus on the decision"
      - "{actor} said it would not stand in the way of adoption"
  loss_damage:
    # the actor supports the loss-and-damage fund by paying in, pledging to it or formally backing it
    label: "backs the loss-and-damage fund"
    examples:
      - "{actor} contributed to the loss and damage fund"
      - "{actor} pledged money for the fund for loss and damage"
      - "{actor} voiced strong support for the loss and damage fund"
      - "{actor} backed the operation of the loss and damage fund"
    counter_examples:
      - "{actor} refused to pay into the loss and damage fund"
      - "{actor} withdrew from the loss and damage fund"
      - "{actor} opposed the loss and damage fund"
  walkout:
    # the actor leaves or boycotts a negotiating session in protest
    label: "walks out of the talks"
    examples:
      - "{actor} walked out of the negotiations"
      - "{actor}'s delegation left the session in protest"
      - "{actor} boycotted the ministerial meeting"
      - "Delegates from {actor} stormed out of the plenary"
    counter_examples:
      - "{actor} returned to the negotiating table"
      - "{actor} said it would stay in the talks"
      - "{actor} denied walking out of the session"
  new_target:
    # the actor announces a new or strengthened national emissions-reduction target
    label: "announces a new emissions target"
    examples:
      - "{actor} announced a new target to cut emissions"
      - "{actor} submitted a strengthened nationally determined contribution"
      - "{actor} pledged deeper emissions cuts by 2035"
      - "A tougher climate goal was unveiled by {actor}"
    counter_examples:
      - "{actor} said it would not update its climate target"
      - "{actor} kept its existing emissions goal unchanged"
      - "{actor} ruled out a new climate pledge this year"
  coalition:
    # the actor joins or forms a negotiating coalition or joint position with the target
    label: "joins a coalition"
    examples:
      - "{actor} joined a negotiating coalition with {target}"
      - "{actor} formed an alliance with {target} at the talks"
      - "{actor} and {target} presented a common position"
      - "{actor} aligned itself with {target} in the negotiations"
    counter_examples:
      - "{actor} left its alliance with {target}"
      - "{actor} refused to join {target} in a bloc"
      - "{actor} broke with {target} over the text"
rules:
  - {id: eu-finance-aosis, title: "EU pledges climate finance for AOSIS", actor: european_union,
     stance: climate_finance, target: aosis, direction: rise, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: high}
  - {id: india-walkout, title: "India walks out of the talks", actor: india, stance: walkout,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h,
     severity: high}
  - {id: brazil-phaseout, title: "Brazil commits to a fossil-fuel phase-out", actor: brazil,
     stance: fossil_phaseout, direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2,
     cooldown: 72h, severity: high}
  - {id: saudi-blocks-text, title: "Saudi Arabia blocks the text", actor: saudi_arabia, stance: blocks_text,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h,
     severity: high}
  - {id: australia-phaseout-drift, title: "Australia drifts towards a fossil phase-out", actor: australia,
     stance: fossil_phaseout, direction: rise, window: 72h, baseline: 14d, min_evidence: 3, min_sources: 2,
     cooldown: 72h, severity: medium}
  - {id: us-loss-damage-fall, title: "US drops its backing for the loss-and-damage fund",
     actor: united_states, stance: loss_damage, direction: fall, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: high}
  - {id: china-coalition-india-fall, title: "China breaks its bloc with India", actor: china,
     stance: coalition, target: india, direction: fall, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: medium}
  - {id: aosis-loss-damage, title: "AOSIS backs the loss-and-damage fund", actor: aosis, stance: loss_damage,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h,
     severity: low}
  - {id: saudi-walkout, title: "Saudi Arabia walks out", actor: saudi_arabia, stance: walkout,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h,
     severity: high}
  - {id: india-new-target, title: "India announces a new emissions target", actor: india, stance: new_target,
     direction: rise, window: 24h, baseline: 14d, min_evidence: 2, min_sources: 2, cooldown: 72h,
     severity: medium}
  - {id: china-finance-aosis, title: "China pledges climate finance for AOSIS", actor: china,
     stance: climate_finance, target: aosis, direction: rise, window: 24h, baseline: 14d, min_evidence: 2,
     min_sources: 2, cooldown: 72h, severity: medium}
"""

KEYS: dict[str, Key] = {
    "eu-finance-aosis": ("european_union", "climate_finance", "aosis"),
    "india-walkout": ("india", "walkout", None),
    "brazil-phaseout": ("brazil", "fossil_phaseout", None),
    "saudi-blocks-text": ("saudi_arabia", "blocks_text", None),
    "australia-phaseout-drift": ("australia", "fossil_phaseout", None),
    "us-loss-damage-fall": ("united_states", "loss_damage", None),
    "china-coalition-india-fall": ("china", "coalition", "india"),
    "aosis-loss-damage": ("aosis", "loss_damage", None),
    "saudi-walkout": ("saudi_arabia", "walkout", None),
    "india-new-target": ("india", "new_target", None),
    "china-finance-aosis": ("china", "climate_finance", "aosis"),
}
KEY_SET = set(KEYS.values())
TARGETED = {"climate_finance", "coalition"}

# --- 2. actors as the blog writes them ------------------------------------------------------------------
# names: subject forms; adj: nationality adjectives; person: a fictional minister or envoy (full, surname);
# partner: how the actor reads as a coalition partner; recipient: as a finance recipient.
ACTORS: dict[str, dict[str, list[str]]] = {
    "india": {
        "names": ["India", "India", "New Delhi"],
        "adj": ["Indian"],
        "person": ["Arjun Mehrotra", "Mehrotra"],
        "role": ["environment minister", "lead negotiator"],
        "partner": ["India", "New Delhi"],
        "recipient": ["India", "Indian solar projects"],
    },
    "brazil": {
        "names": ["Brazil", "Brazil", "Brasilia"],
        "adj": ["Brazilian"],
        "person": ["Helena Carvalho", "Carvalho"],
        "role": ["climate minister", "chief negotiator"],
        "partner": ["Brazil", "Brasilia"],
        "recipient": ["Brazil", "the Brazilian forest fund"],
    },
    "china": {
        "names": ["China", "China", "Beijing"],
        "adj": ["Chinese"],
        "person": ["Zhou Minghui", "Zhou Minghui"],
        "role": ["climate envoy", "lead negotiator"],
        "partner": ["China", "Beijing"],
        "recipient": ["China"],
    },
    "saudi_arabia": {
        "names": ["Saudi Arabia", "Saudi Arabia", "Riyadh"],
        "adj": ["Saudi"],
        "person": ["Khalid Al-Rashed", "Al-Rashed"],
        "role": ["energy minister", "lead negotiator"],
        "partner": ["Saudi Arabia", "Riyadh"],
        "recipient": ["Saudi Arabia"],
    },
    "european_union": {
        "names": ["the EU", "the European Union", "Brussels"],
        "adj": ["EU"],
        "person": ["Katrin Vosberg", "Vosberg"],
        "role": ["climate commissioner", "chief negotiator"],
        "partner": ["the EU", "Brussels"],
        "recipient": ["the EU"],
    },
    "united_states": {
        "names": ["the United States", "the US", "Washington"],
        "adj": ["US", "American"],
        "person": ["Daniel Whitcomb", "Whitcomb"],
        "role": ["climate envoy", "lead negotiator"],
        "partner": ["the United States", "Washington"],
        "recipient": ["the United States"],
    },
    "aosis": {
        "names": ["AOSIS", "AOSIS", "the Alliance of Small Island States"],
        "adj": ["AOSIS"],
        "person": ["Losana Vaka", "Vaka"],
        "role": ["chair", "lead negotiator"],
        "partner": ["AOSIS", "the Alliance of Small Island States"],
        "recipient": ["AOSIS members", "AOSIS countries", "members of the Alliance of Small Island States"],
    },
    "australia": {
        "names": ["Australia", "Australia", "Canberra"],
        "adj": ["Australian"],
        "person": ["Tom Kearney", "Kearney"],
        "role": ["climate minister", "lead negotiator"],
        "partner": ["Australia", "Canberra"],
        "recipient": ["Australia"],
    },
}
# Targets that are not tracked actors ("the same stance toward another target").
OTHER_RECIPIENTS = [
    "the least developed countries",
    "African states",
    "the Sahel",
    "Andean nations",
    "the Mekong basin states",
    "Central Asian republics",
]
OTHER_PARTNERS = [
    "the African Group",
    "the Arab Group",
    "the Least Developed Countries bloc",
    "the Independent Alliance of Latin America",
    "the Environmental Integrity Group",
]
THIRD_PARTIES = [
    "the UN Secretary-General",
    "the UNFCCC executive secretary",
    "Climate Action Network",
    "the LDC chair",
    "the African Group of Negotiators",
    "Greenpeace",
    "Colombia",
    "Norway",
    "Japan",
    "Kenya",
    "the UK",
    "Canada",
    "the G77 chair",
    "a coalition of youth groups",
]
ANALYSTS = [
    "one veteran observer",
    "a Nordic negotiator",
    "an analyst at a Berlin think tank",
    "a former COP president",
    "our correspondent in the plenary",
    "a climate lawyer in the corridor",
]
DOCS = [
    "the mitigation text",
    "the cover decision",
    "the mutirão decision",
    "the finance text",
    "the adaptation indicators text",
    "draft three of the cover text",
    "the just transition text",
    "the Article 6 text",
    "the global goal on adaptation text",
    "the stocktake follow-up",
]
AMOUNTS = ["$300m", "$450m", "$750m", "$1.2bn", "$2bn", "€500m", "€1bn", "€800m", "$600m", "$1.5bn"]
SMALL_AMOUNTS = ["$5m", "$10m", "$2m", "$8m"]  # what a bloc of small island states can put in
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
TOPICS = [
    "mangroves",
    "heat stress",
    "green hydrogen",
    "coral reefs",
    "methane from rice",
    "early warnings",
    "city cooling",
    "glacier melt",
    "blue carbon",
    "clean cooking",
    "grid storage",
]

# --- 3. stance templates: E expresses, D denies, N neither (for the actor in {a}/{pos}/{adj}/{sp}) --------
# Slots: {a} actor, {pos} actor possessive, {adj} adjective, {sp} a speaker who names the actor, {t} target,
# {x} third party (never doing the stance), {d} another doer (never a rule key for this stance), {hh} time,
# {wd} weekday, {doc} text, {amt} money, {pct} percent, {yr} year, {an} analyst.
T: dict[str, dict[str, list[str]]] = {
    "climate_finance": {
        "E": [
            "{a} puts {amt} on the table for {t}.",
            "At {hh} {sp} announces {amt} in grants for {t}.",
            "New money from {a}: {amt} for {t}, paid over three years.",
            "{amt} for {t} is pledged by {a} in the finance huddle.",
            "A fresh tranche of {amt} for {t} is confirmed by {sp}.",
            "{pos} {amt} pledge to {t} lands just before the {hh} plenary.",
            "The {adj} pledge for {t} tops {amt}.",
            '{sp} tells the finance ministerial: "We are committing {amt} to {t} today."',
            "{sp} says {a} will transfer {amt} to {t} before the end of next year.",
            "{x} welcomes {pos} {amt} package for {t}.",
            "{x} confirms that {a} has signed off on {amt} for {t}.",
            "Cash, finally: {a} earmarks {amt} for {t}.",
            "{a} doubles its adaptation grants for {t} to {amt}.",
            "The cheque from {a} is real: {amt} for {t}, says {sp}.",
            "Money talks at {hh}, and {a} speaks first with {amt} for {t}.",
        ],
        "D": [
            "{a} will not put a new figure on the table for {t} this week, {sp} says.",
            "{sp} rules out fresh money for {t} before the budget cycle closes.",
            "{a} dismisses reports of a {amt} package for {t}.",
            "No new cash for {t} from {a}, its delegation confirms.",
            "The {adj} refusal to name a sum for {t} sours the {hh} huddle.",
            "{a} has no plans to add to its grants for {t}, {sp} tells reporters.",
            '{sp} tells the room: "We are not in a position to pledge anything for {t} here."',
            "{a} withdraws its earlier offer of {amt} for {t}.",
            "{a} is not ready to commit money for {t} at this stage, {sp} says.",
            "{sp} says the {adj} budget has nothing new for {t} this year.",
        ],
        "N": [
            "{x} presses {a} to find {amt} for {t}.",
            "Will {a} finally open its wallet for {t}?",
            "{a} could unlock {amt} for {t} if the Article 9 language holds, {an} reckons.",
            "{x} accuses {a} of dangling money for {t} that never arrives.",
            "Back in 2021, {a} promised {amt} for {t}.",
            "{a} is weighing a {amt} package for {t}, two sources in the corridor say.",
            "Hours after meeting {a}, {d} pledges {amt} for {t}.",
            "{d} announces {amt} for {t} while {pos} envoy is still on the metro.",
        ],
    },
    "fossil_phaseout": {
        "E": [
            "{a} signs up to a timeline for leaving coal, oil and gas behind.",
            "{a} throws its support behind the roadmap away from fossil fuels.",
            "{sp} at {hh}: {a} will end new oil and gas licensing by {yr}.",
            "The phase-out language is endorsed by {a} in the {hh} stocktake session.",
            "{pos} phase-out roadmap goes to the plenary tonight.",
            "The {adj} commitment to quit fossil fuels by {yr} is now on paper.",
            '{sp} tells the high-level segment: "We will wind down oil and gas, and we will do it on a schedule."',
            "{sp} says {a} now supports a dated exit from fossil fuels.",
            "{x} applauds {pos} pledge to phase out coal, oil and gas.",
            "{a} adds its name to the fossil exit roadmap.",
            "{a} puts its signature under the phase-out paragraph of {doc}.",
            "A dated fossil-fuel exit is now {adj} policy, {sp} confirms.",
            "{x} notes that {a} has endorsed the transition-away roadmap.",
            "Big moment at {hh}: {a} backs a phase-out of all fossil fuels.",
            "{a} joins the push to retire coal, oil and gas by {yr}.",
        ],
        "D": [
            "{a} will not sign up to a fossil-fuel exit date, {sp} says.",
            "{sp} rules out any {adj} phase-out of oil and gas.",
            "{a} distances itself from the phase-out paragraph.",
            "{a} keeps the fossil roadmap at arm's length.",
            "The {adj} rejection of a dated exit from coal, oil and gas irritates the high-ambition camp.",
            "{a} has no plans to set an end date for fossil fuels.",
            "{sp} dismisses reports that {a} will back the phase-out roadmap.",
            "{a} is not ready to commit to a fossil exit at this stage, {sp} says.",
        ],
        "N": [
            "{x} urges {a} to sign the phase-out roadmap.",
            "Will {a} put its name to the fossil exit?",
            "{a} might back the roadmap if money for coal workers is added, {an} suggests.",
            "{x} alleges that {a} is quietly lobbying for phase-out language.",
            "In 2023, {a} backed the call to transition away from fossil fuels.",
            "{a} is ready to back a phase-out, according to one unnamed diplomat.",
            "{d} endorses the fossil exit roadmap; {a} is due to speak after lunch.",
            "{pos} oil and gas exports are the subject of a petition handed in by {x}.",
        ],
    },
    "blocks_text": {
        "E": [
            "{a} blocks {doc}.",
            "At {hh} {a} raises its flag and objects to {doc}; no consensus.",
            "{doc} is blocked by {a} in the closing plenary.",
            "{pos} objection kills {doc} for now.",
            "The {adj} veto leaves {doc} in limbo.",
            '{sp} tells the presidency: "We cannot join consensus on this text."',
            "{sp} says {a} will not let {doc} through in its current form.",
            "{x} confirms that {a} has vetoed {doc}.",
            "{a} stands alone against {doc}, and the gavel stays up.",
            "No consensus on {doc}, because {a} says no.",
            "{a} digs in against {doc} and the chair suspends the plenary.",
            "{x} deplores {pos} refusal to let {doc} pass.",
            "The {adj} objection to {doc} is formally recorded at {hh}.",
            "Deadlock at {hh}: {a} is holding up {doc}.",
        ],
        "D": [
            "{a} lifts its objection to {doc}.",
            "{a} will let {doc} go through, {sp} says.",
            "{a} denies blocking {doc}, calling the reports false.",
            "{a} joins consensus on {doc} at {hh}.",
            "{a} has no intention of vetoing {doc}, {sp} tells reporters.",
            "The {adj} delegation signals it will not hold up {doc}.",
            "{a} dismisses reports that it is sitting on {doc}.",
            "{a} lets {doc} pass without a word.",
        ],
        "N": [
            "{x} warns {a} not to wreck {doc}.",
            "Is {a} about to torpedo {doc}?",
            "{a} could block {doc} if the fossil paragraph stays, {an} says.",
            "{x} accuses {a} of sabotaging {doc}.",
            "In Dubai two years ago, {a} held up the stocktake text for a day.",
            "{a} is said to be preparing objections to {doc}, a delegate from another bloc says.",
            "{d} blocks {doc}, and {a} watches from the second row.",
            "{pos} own proposal on {doc} is blocked by {d} at {hh}.",
        ],
    },
    "loss_damage": {
        "E": [
            "{a} pays {amt} into the loss-and-damage fund.",
            "{a} throws its weight behind the fund for loss and damage.",
            "A contribution of {amt} to the loss-and-damage fund is announced by {a}.",
            "{pos} payment into the loss-and-damage fund clears at {hh}.",
            "The {adj} contribution to the loss-and-damage fund rises to {amt}.",
            '{sp} tells the room: "The loss-and-damage fund has our full support and our money."',
            "{sp} says {a} stands behind the loss-and-damage fund and will top it up.",
            "{x} welcomes {pos} backing for the fund for responding to loss and damage.",
            "{a} renews its support for the loss-and-damage fund at {hh}.",
            "Loss and damage: {a} is in, with {amt}.",
            "The fund for loss and damage gets {amt} from {a}.",
            "{a} stands by the loss-and-damage fund, {sp} repeats.",
            "The fund's secretariat confirms receipt of {pos} {amt}.",
        ],
        "D": [
            "{a} pulls out of the loss-and-damage fund's board.",
            "{a} will not contribute to the loss-and-damage fund, {sp} says.",
            "{sp} rules out new payments into the fund for loss and damage.",
            "{a} withdraws its backing for the loss-and-damage fund.",
            "The {adj} retreat from the loss-and-damage fund leaves a hole of {amt}.",
            "{a} has no plans to pay into the loss-and-damage fund this year.",
            "{sp} dismisses reports that {a} will rejoin the fund's board.",
            "{a} declines to renew its pledge to the loss-and-damage fund.",
            "{pos} exit from the loss-and-damage fund's board takes effect at midnight.",
        ],
        "N": [
            "{x} urges {a} to pay into the loss-and-damage fund.",
            "Where is {pos} money for the loss-and-damage fund?",
            "{a} would contribute if the fund's rules change, {an} says.",
            "{x} accuses {a} of hollowing out the loss-and-damage fund.",
            "In 2023, {a} pledged {amt} to the newly created loss-and-damage fund.",
            "{a} may top up the loss-and-damage fund, a source close to the talks says.",
            "{d} pays {amt} into the loss-and-damage fund; {a} is next on the speakers' list.",
            "{a} is singled out in a loss-and-damage report by {x}.",
        ],
    },
    "walkout": {
        "E": [
            "{a} walks out of the session on {doc} at {hh}.",
            "At {hh} the {adj} delegation gets up and leaves the room.",
            "{sp} leads the {adj} team out of the finance huddle.",
            "Empty chairs behind the {adj} flag: {a} has left the plenary.",
            "The {adj} walkout freezes the contact group on {doc}.",
            "{pos} walkout is the talk of the corridors by {hh}.",
            "The plenary hall is abandoned by {a} minutes after the gavel.",
            '{sp} on the way out of the room: "We will not sit here while {doc} ignores us."',
            "{sp} says {a} has left the talks on {doc} and will not return today.",
            "{x} confirms the {adj} delegation has quit the session.",
            "{x} regrets {pos} decision to leave the negotiating room.",
            "Walkout by {a} at {hh}.",
            "{a} boycotts the {hh} heads-of-delegation meeting.",
            "{a} is out of the room, and the informals stall.",
            "{sp} and the rest of the {adj} team stride out of the plenary.",
        ],
        "D": [
            "{a} stays in the room, {sp} insists, despite anger over {doc}.",
            "{sp} denies that {a} walked out of the {hh} session.",
            "{a} has no intention of leaving the talks, {sp} says.",
            "{a} dismisses talk of a walkout as corridor gossip.",
            "The {adj} delegation keeps its seats through the night session, {sp} says.",
            '{sp} tells the plenary: "We are not going anywhere."',
            "{a} rules out a boycott of the final plenary.",
        ],
        "N": [
            "{x} begs {a} to stay at the table.",
            "Could {a} walk out before {wd}?",
            "{a} would leave the talks if {doc} drops the finance language, {an} predicts.",
            "{x} claims {a} staged a walkout to grab headlines.",
            "At the Copenhagen summit in 2009, {a} walked out of a session.",
            "Word in the corridor: {a} may quit the room tonight.",
            "{d} walks out at {hh}, and {a} keeps its seat warm for the bloc.",
            "{a} is left talking to empty chairs after {d} storms out.",
        ],
    },
    "new_target": {
        "E": [
            "{a} unveils a new emissions target: {pct} percent below 2019 levels by {yr}.",
            "{a} raises its climate target for {yr}.",
            "A {pct} percent cut by {yr} is announced by {a}.",
            "{pos} new NDC lands at {hh}.",
            "The {adj} target, a {pct} percent cut by {yr}, is now official.",
            '{sp} tells the plenary: "We will cut emissions by {pct} percent by {yr}."',
            "{sp} says {a} has tightened its {yr} goal to a {pct} percent cut.",
            "{x} welcomes the stronger {adj} target for {yr}.",
            "{a} submits an updated NDC with a {pct} percent cut.",
            "{a} lifts its {yr} ambition to {pct} percent.",
            "New NDC, bigger number: {a} goes to {pct} percent by {yr}.",
            "{x} confirms {a} has filed its strengthened target.",
            "Headline number from {a}: a {pct} percent cut by {yr}.",
        ],
        "D": [
            "{a} will not present a new target at this summit, {sp} says.",
            "{sp} rules out raising the {adj} target before {yr}.",
            "{a} has no plans to revise its NDC this year.",
            "{a} dismisses reports of a stronger {yr} target.",
            "The {adj} refusal to update its NDC draws boos in the hall.",
            "{a} sticks with its old target, {sp} confirms.",
            "{a} is not ready to table a new NDC at this stage.",
        ],
        "N": [
            "{x} calls on {a} to raise its target.",
            "Will {a} bring a new number to the summit?",
            "{a} could go to {pct} percent if finance arrives, {an} writes.",
            "{x} claims {a} has been sitting on a stronger target for months.",
            "In 2022, {a} updated its target to {pct} percent.",
            "{a} is preparing a new target, a single source in the delegation says.",
            "{d} announces a {pct} percent target for {yr}; {a} is due to speak after lunch.",
            "{a} is graded poorly by {x} in a new target tracker.",
        ],
    },
    "coalition": {
        "E": [
            "{a} teams up with {t} on the finance text.",
            "{a} and {t} table a joint submission on {doc}.",
            "A joint position with {t} is agreed by {a} at {hh}.",
            "{pos} alliance with {t} holds through the night.",
            "The {adj} tie-up with {t} reshapes the room.",
            '{sp} tells reporters: "We stand with {t} on every line of this text."',
            "{sp} says {a} will negotiate as one with {t} on finance.",
            "{x} notes that {a} is now coordinating with {t}.",
            "{a} joins forces with {t} in the mutirão.",
            "{a} and {t} speak with one voice in the {hh} huddle.",
            "Same line, same brackets: {a} lines up with {t}.",
            "{a} signs on to the bloc led by {t}.",
            "{a} folds its submission on {doc} into a common paper with {t}.",
        ],
        "D": [
            "{a} breaks ranks with {t} over {doc}.",
            "{a} is no longer coordinating with {t}, {sp} says.",
            "{sp} rules out a joint position with {t}.",
            "{a} dismisses reports of a common front with {t}.",
            "The {adj} split from {t} is confirmed at {hh}.",
            "{a} goes its own way on {doc}, leaving {t} isolated.",
            "{a} has no plans to join {t} in a bloc.",
        ],
        "N": [
            "{x} urges {a} to stand with {t}.",
            "Is {a} drifting towards {t}?",
            "{a} might align with {t} if the finance goal is raised, {an} says.",
            "{x} accuses {a} of secretly colluding with {t}.",
            "In 2015, {a} and {t} negotiated side by side.",
            "{a} is exploring a pact with {t}, according to one observer.",
            "{d} joins forces with {t} as {a} holds a press briefing.",
            "{a} is courted by {d} for a new bloc.",
        ],
    },
}

# --- neutral templates ------------------------------------------------------------------------------------
# Mentions of one or two actors ({a}, {pos}, {adj}, {b}) that carry no stance of any rule.
MENTIONS = [
    "{pos} pavilion hosts a packed panel on {topic} at {hh}.",
    "The {adj} delegation swells to {n} people this year.",
    "{pos} lead negotiator arrives at the venue at {hh}.",
    "{a} hosts a reception on {topic}.",
    "A bilateral between {a} and {b} runs forty minutes over time.",
    "{a} co-chairs the informal consultations on {topic}.",
    "{a} briefs reporters on last summer's heatwave.",
    "Protesters gather outside the {adj} pavilion.",
    "{pos} minister lands in the host city just after {hh}.",
    "{a} requests the floor at {hh}.",
    "{a} asks for clarification on paragraph {n} of {doc}.",
    "{a} takes the floor for four minutes and thanks the presidency.",
    "The {adj} pavilion runs out of chairs for a session on {topic}.",
    "{a} publishes a report on {topic} at home.",
    "{a} and {b} hold a bilateral on {topic}.",
    "{pos} press conference moves to room {n}.",
    "Who speaks for {a} today?",
    "The {adj} team is camped in the cafeteria with laptops.",
    "{a} sends a smaller delegation than last year.",
    "A side event by {a} on {topic} draws a young crowd.",
    "The {adj} minister poses for photos with a solar-powered rickshaw.",
    "{a} hands in its biennial transparency report.",
    "{pos} chief negotiator has not slept, by her own account.",
    "{a} wants the word {topic} in the adaptation text.",
    "The {adj} envoy jokes about the air conditioning.",
    "{a} and {b} trade pleasantries in the corridor at {hh}.",
    "{pos} youth delegates hand out seed packets.",
    "{a} is on the speakers' list for the {hh} stocktake.",
    "A reporter asks {b} about {pos} position; no answer.",
    "{pos} delegation chartered a night train to the venue.",
    "The {adj} statement in plenary runs to six pages.",
    "{a} thanks the host country for its hospitality.",
    "{pos} climate envoy shares a taxi with a delegate from {b}.",
    "A new poll at home shows most voters in {a} worried about {topic}.",
    "{a} opens a photo exhibition on {topic}.",
    "The {adj} flag is at half-mast after floods at home.",
    "{a} proposes minor edits to paragraph {n}.",
    "{pos} spokesperson promises a briefing at {hh}.",
    "{a} appoints a new deputy negotiator for the second week.",
    "Delegates from {a} and {b} queue together for the shuttle bus.",
    "The {adj} minister cancels a side event to attend the stocktake.",
    "{a} circulates a non-paper on {topic}.",
    "{pos} negotiators ask for more time on {doc}.",
    "What does {a} want from this summit?",
    "{a} leads a workshop on {topic} for junior negotiators.",
    "Heavy traffic delays the {adj} motorcade by twenty minutes.",
    "{pos} observers fill the back rows of the plenary.",
    "{a} welcomes the new draft's structure without comment on substance.",
    "The {adj} delegation books the big room for a briefing on {topic}.",
    "{a} sends its foreign minister for the high-level segment.",
]
# Unrelated coverage of China for the quiet rule china-finance-aosis (a burst of mentions, no stance).
CHINA_BURST = [
    "Chinese solar exports hit a record in October, customs data show.",
    "{a} opens a pavilion on electric buses at {hh}.",
    "Beijing's state broadcaster runs a two-hour special on the summit.",
    "Chinese battery makers crowd the exhibition hall.",
    "Zhou Minghui tours the pavilion of a Chinese wind turbine maker.",
    "A Chinese carmaker unveils an electric bus for the shuttle fleet.",
    "China's national carbon market extends to steel and cement, officials say at a side event.",
    "Queues form outside the Chinese pavilion for a virtual reality tour of the Loess Plateau.",
]
# No actor at all: the live blog's own chatter.
BACKGROUND = [
    "The plenary hall is half empty at {hh}.",
    "Coffee queues snake around the blue zone.",
    "Heat inside the tents climbs past {n} degrees.",
    "A new draft of {doc} is due at midnight.",
    "Observers are locked out of the finance huddle.",
    "The presidency calls a stocktake plenary for {hh}.",
    "Rain hammers the roof of the media centre.",
    "Long night ahead.",
    "Brackets everywhere in {doc}.",
    "Still no text on the table.",
    "The mutirão session opens with a minute of silence.",
    "Negotiators shuffle between rooms {n} and {n2}.",
    "The shuttle buses are running forty minutes late.",
    "Quick update from the corridor.",
    "The finance text has grown to {n} pages.",
    "Options A and B survive in paragraph {n}.",
    "Ministers are now paired up to broker compromises.",
    "The chair gavels the session closed at {hh}.",
    "The indaba format is back for the evening session.",
    "A fire alarm empties the media centre for ten minutes.",
    "Wi-fi in the plenary has collapsed again.",
    "Our reporter counts {n} bracketed options in the adaptation text.",
    "The presidency promises a cleaner text by morning.",
    "Heads of delegation meet behind closed doors at {hh}.",
    "Observers call the draft a step backwards.",
    "The word consensus is doing a lot of work tonight.",
    "Pizza boxes pile up outside room {n}.",
    "The indicators for the global goal on adaptation are down to {n}.",
    "The UN Secretary-General is expected in the plenary at {hh}.",
    "Nobody expects a deal before {wd}.",
    "A procedural fight over the agenda eats the first morning.",
    "Delegates applaud as the session resumes at {hh}.",
    "The clock in the plenary hall reads {hh}.",
    "The adaptation finance numbers remain blank in the draft.",
    "Another huddle forms in the middle of the plenary floor.",
    "Night shift for the translators, again.",
    "Is this the longest summit on record?",
    "Three drafts in one day.",
    "Talks on carbon markets wrap up early, for once.",
    "Scientists brief delegates on the latest warming figures.",
    "The agenda fight is settled at {hh}.",
    "The presidency consults in the confessional format tonight.",
    "Closing plenary postponed to {hh}.",
    "A rainbow over the river draws delegates outside.",
    "The stocktake follow-up text shrinks by {n} paragraphs.",
    "The press room erupts when the new draft appears.",
    "Delegations brace for an all-nighter.",
    "We will keep this blog running through the night.",
]

# Background for any phase.
BACKGROUND_ANY = [
    "Why does this matter?",
    "What happens next?",
    "Here is where things stand.",
    "A scientists' letter urges faster cuts in methane.",
    "Indigenous leaders lead a march along the river.",
    "Youth activists stage a die-in outside the venue.",
    "A group of mayors signs a declaration on city heat plans.",
    "Temperatures outside hit {n} degrees by noon.",
    "Civil society groups stage a silent protest with red lines drawn on their hands.",
    "The host city's mayor opens a new tram line to the venue.",
]
# Background for the weeks before and after the summit (the list above is for the summit itself).
BACKGROUND_RUNUP = [
    "Pre-summit ministerial talks continue behind closed doors.",
    "The science body publishes a new update on emissions gaps.",
    "Hotel prices in the host city have tripled, delegates complain.",
    "The presidency circulates a letter setting out its priorities.",
    "Negotiators trade informal notes ahead of the opening.",
    "Countdown: {n} days to the opening plenary.",
    "A new report puts the adaptation finance gap at hundreds of billions a year.",
    "The pre-summit consultations end without a shared text.",
    "Will the summit open on time?",
    "Ministers gather for a two-day pre-summit retreat.",
    "The provisional agenda is published.",
    "Civil society groups publish their wish list for the summit.",
    "Accreditation badges are finally ready for collection.",
    "The host city tests its new shuttle bus routes.",
    "Diplomats expect a bruising fight over finance.",
    "A leaked presidency note lists five landing zones.",
]
BACKGROUND_AFTER = [
    "The dust settles on the summit.",
    "Delegates are home, and the spin begins.",
    "The final decision text is posted online.",
    "Analysts comb through the cover decision line by line.",
    "Was it a success?",
    "The next round of intersessional talks is pencilled in for June.",
    "Observers publish their scorecards.",
    "The host city dismantles the blue zone.",
    "A new survey of negotiators calls the process exhausting.",
    "Bonn will host the mid-year talks, as usual.",
    "Flood warnings go up across three river basins.",
    "A heat record falls in the southern hemisphere spring.",
    "The carbon markets body meets for the first time since the summit.",
    "Campaigners promise to keep up the pressure through next year.",
    "What comes next for the finance goal?",
    "The secretariat publishes the official attendance figures.",
]
OUTLETS = [
    ("Plenary Pulse", "plenarypulse.example"),
    ("Blue Zone Live", "bluezonelive.example"),
    ("Carbon Desk", "carbondesk.example"),
    ("The Huddle", "thehuddle.example"),
    ("Tipping Point Live", "tippingpointlive.example"),
    ("Greenhouse Wire Live", "greenhousewire.example"),
    ("Atoll Observer", "atollobserver.example"),
    ("Equator Live", "equatorlive.example"),
    ("Gavel Watch", "gavelwatch.example"),
    ("Monsoon Ledger", "monsoonledger.example"),
    ("Southern Cross Climate", "southerncross.example"),
    ("Delta Dispatch Live", "deltadispatch.example"),
]

# --- 4. schedule ------------------------------------------------------------------------------------------
# (rule id, polarity, first day, last day, sentences per day); the drift rate is DRIFT below.
PLAN: list[tuple[str, str, int, int, float]] = [
    # EU finance for AOSIS: hedges and urging before, then the pledge on day 17.
    ("eu-finance-aosis", "N", 0, 44, 0.8),
    ("eu-finance-aosis", "D", 10, 16, 0.35),
    ("eu-finance-aosis", "E", 17, 17, 6),
    ("eu-finance-aosis", "E", 18, 18, 5),
    ("eu-finance-aosis", "E", 19, 28, 1.2),
    ("eu-finance-aosis", "E", 29, 44, 0.4),
    # India walks out on day 21.
    ("india-walkout", "N", 10, 44, 0.6),
    ("india-walkout", "D", 15, 20, 0.3),
    ("india-walkout", "E", 21, 21, 6),
    ("india-walkout", "E", 22, 22, 5),
    ("india-walkout", "E", 23, 28, 1.0),
    ("india-walkout", "E", 29, 44, 0.3),
    # Brazil commits to a fossil-fuel phase-out on day 23.
    ("brazil-phaseout", "N", 0, 44, 0.6),
    ("brazil-phaseout", "D", 3, 12, 0.25),
    ("brazil-phaseout", "E", 23, 23, 6),
    ("brazil-phaseout", "E", 24, 24, 5),
    ("brazil-phaseout", "E", 25, 28, 1.2),
    ("brazil-phaseout", "E", 29, 44, 0.4),
    # Saudi Arabia blocks the text on day 25.
    ("saudi-blocks-text", "N", 12, 44, 0.8),
    ("saudi-blocks-text", "D", 19, 24, 0.35),
    ("saudi-blocks-text", "E", 25, 25, 6),
    ("saudi-blocks-text", "E", 26, 26, 5),
    ("saudi-blocks-text", "E", 27, 28, 1.5),
    ("saudi-blocks-text", "E", 29, 44, 0.3),
    # Australia drifts towards a phase-out (rate from DRIFT).
    ("australia-phaseout-drift", "N", 0, 44, 0.5),
    ("australia-phaseout-drift", "E", 0, 44, -1.0),
    # The US stops backing the loss-and-damage fund on day 9 and denies it from then on.
    ("us-loss-damage-fall", "E", 0, 8, 1.6),
    ("us-loss-damage-fall", "D", 9, 9, 4),
    ("us-loss-damage-fall", "D", 10, 10, 3),
    ("us-loss-damage-fall", "D", 11, 11, 2),
    ("us-loss-damage-fall", "D", 12, 44, 0.3),
    ("us-loss-damage-fall", "N", 0, 44, 0.4),
    # China coordinates with India, then breaks ranks on day 26.
    ("china-coalition-india-fall", "E", 4, 25, 1.3),
    ("china-coalition-india-fall", "D", 26, 26, 4),
    ("china-coalition-india-fall", "D", 27, 27, 3),
    ("china-coalition-india-fall", "D", 28, 28, 2),
    ("china-coalition-india-fall", "D", 29, 44, 0.3),
    ("china-coalition-india-fall", "N", 0, 44, 0.4),
    # Quiet: AOSIS backs the loss-and-damage fund at a steady rate.
    ("aosis-loss-damage", "E", 0, 44, 1.0),
    ("aosis-loss-damage", "N", 0, 44, 0.3),
    # Quiet: rumours of a Saudi walkout, denied within a day (days 18-19 and 31-32).
    ("saudi-walkout", "N", 18, 18, 3),
    ("saudi-walkout", "D", 19, 19, 3),
    ("saudi-walkout", "N", 31, 31, 2),
    ("saudi-walkout", "D", 32, 32, 2),
    # Quiet: India only ever rules out a new target.
    ("india-new-target", "D", 0, 44, 0.3),
    ("india-new-target", "N", 0, 44, 0.3),
    # Quiet: China never pledges finance for AOSIS; a burst of unrelated China coverage on days 12-14.
    ("china-finance-aosis", "N", 0, 44, 0.3),
]
DRIFT_FROM, DRIFT_BASE, DRIFT_STEP, DRIFT_CAP, DRIFT_AFTER = 10, 0.5, 0.2, 3.0, 1.0
CHINA_BURST_DAYS = (12, 13, 14)
# Who plausibly does each stance when it is not a rule key (ambient lines and the {d} slot).
DOERS = {
    "climate_finance": ["united_states", "australia", "european_union", "china"],
    "fossil_phaseout": ["european_union", "aosis", "brazil", "australia"],
    "blocks_text": ["india", "china", "united_states", "european_union", "saudi_arabia", "aosis"],
    "loss_damage": ["european_union", "australia", "brazil", "china", "united_states", "aosis"],
    "walkout": ["aosis", "united_states", "european_union", "india", "saudi_arabia"],
    "new_target": ["european_union", "brazil", "australia", "china", "aosis", "india"],
    "coalition": list(ACTORS),
}
RECIPIENTS = ["aosis", "brazil", "india"]  # tracked actors that may receive finance
# Sentences per day for ambient stances: actors doing stances that are no rule key.
AMBIENT_PER_ARTICLE = 0.35
EVENTS = {
    0: "run-up begins; pre-summit ministerials",
    9: "Washington quits the loss-and-damage fund's board",
    12: "Chinese clean-tech coverage burst",
    14: "summit opens",
    17: "EU finance pledge for AOSIS",
    18: "rumour of a Saudi walkout",
    19: "Riyadh denies the walkout rumour",
    21: "Indian walkout",
    23: "Brazil backs the fossil exit roadmap",
    25: "Saudi Arabia blocks the text",
    26: "China breaks ranks with India",
    27: "scheduled close",
    28: "overrun day, final plenary",
    31: "second walkout rumour",
    32: "second denial",
    44: "end of window",
}


def drift_rate(day: int) -> float:
    if day < DRIFT_FROM:
        return DRIFT_BASE
    if day > SUMMIT_CLOSE:
        return DRIFT_AFTER
    return min(DRIFT_CAP, DRIFT_BASE + DRIFT_STEP * (day - DRIFT_FROM + 1))


def drift_count(day: int) -> int:
    """Whole sentences per day whose running total follows the drift rate exactly (no random gaps)."""
    total = sum(drift_rate(d) for d in range(day + 1))
    return int(total + 1e-9) - int(total - drift_rate(day) + 1e-9)


def articles_on(day: int) -> int:
    return 20 if SUMMIT_OPEN <= day <= SUMMIT_CLOSE else 9 if day < SUMMIT_OPEN else 8


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


class Writer:
    """Renders templates with random slot fillers; one instance per build, one rng."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def stamp(self, before: datetime) -> str:
        at = before - timedelta(minutes=self.rng.randrange(5, 240))
        return at.strftime("%H:%M")

    def name(self, actor: str) -> str:
        return self.rng.choice(ACTORS[actor]["names"])

    def speaker(self, actor: str) -> str:
        info = ACTORS[actor]
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(info["person"])
        if r < 0.7:
            return f"{possessive(self.rng.choice(info['names']))} {self.rng.choice(info['role'])}"
        return f"the {self.rng.choice(info['adj'])} {self.rng.choice(info['role'])}"

    def target_phrase(self, stance: str, target: str) -> str:
        if target in ACTORS:
            return self.rng.choice(ACTORS[target]["recipient" if stance == "climate_finance" else "partner"])
        return target

    def third(self, stance: str, avoid: set[str]) -> str:
        """A third party: untracked, or a tracked actor with no rule on this stance."""
        keyed = {k[0] for k in KEY_SET if k[1] == stance}
        tracked = [a for a in ACTORS if a not in avoid and a not in keyed]
        if tracked and self.rng.random() < 0.4:
            return self.name(self.rng.choice(tracked))
        return self.rng.choice(THIRD_PARTIES)

    def doer(self, stance: str, target: str | None, avoid: set[str]) -> str:
        """Another actor doing the stance: never one whose doing it would be a rule key."""
        pool = [a for a in DOERS[stance] if a not in avoid and (a, stance, target) not in KEY_SET]
        if stance == "coalition":
            pool = [a for a in pool if {a, target} != {"china", "india"}]
        return self.name(self.rng.choice(pool))

    def fill(self, template: str, actor: str | None, stance: str, target: str | None, at: datetime) -> str:
        rng = self.rng
        avoid = {a for a in (actor, target) if a}
        slots: dict[str, str] = {
            "hh": self.stamp(at),
            "wd": rng.choice(WEEKDAYS),
            "doc": rng.choice(DOCS),
            "amt": rng.choice(SMALL_AMOUNTS if actor == "aosis" else AMOUNTS),
            "pct": str(rng.choice(range(45, 80, 5))),
            "yr": rng.choice(["2035", "2040", "2045"]),
            "an": rng.choice(ANALYSTS),
            "n": str(rng.randrange(3, 40)),
            "n2": str(rng.randrange(40, 60)),
            "topic": rng.choice(TOPICS),
        }
        if actor:
            name = self.name(actor)
            slots |= {
                "a": name,
                "pos": possessive(name),
                "adj": rng.choice(ACTORS[actor]["adj"]),
                "sp": self.speaker(actor),
            }
        if "{t}" in template:
            slots["t"] = self.target_phrase(stance, target or rng.choice(OTHER_PARTNERS))
        if "{x}" in template:
            slots["x"] = self.third(stance, avoid)
        if "{d}" in template:
            slots["d"] = self.doer(stance, target, avoid)
        if "{b}" in template:
            slots["b"] = self.name(rng.choice([a for a in ACTORS if a != actor]))
        return cap(template.format(**slots))

    def stance_line(self, key: Key, polarity: str, at: datetime) -> Line:
        actor, stance, target = key
        rng = self.rng
        if polarity == "N" and stance in TARGETED and rng.random() < 0.25:
            # the same stance toward another target: an expressing template, a different recipient
            others = OTHER_RECIPIENTS if stance == "climate_finance" else OTHER_PARTNERS
            tracked = (
                ["brazil", "india"] if stance == "climate_finance" else ["brazil", "aosis", "saudi_arabia"]
            )
            tracked = [a for a in tracked if a not in (actor, target)]
            other = rng.choice(others + tracked)
            text = self.fill(rng.choice(T[stance]["E"]), actor, stance, other, at)
            labels: dict[Key, str] = {}
            if (actor, stance, other) in KEY_SET:
                labels[(actor, stance, other)] = "expresses"
            return Line(text, labels)
        text = self.fill(rng.choice(T[stance][polarity]), actor, stance, target, at)
        if polarity == "N" or key not in KEY_SET:
            return Line(text)
        return Line(text, {key: "expresses" if polarity == "E" else "denies"})

    def ambient_line(self, at: datetime) -> Line:
        """An actor doing (or refusing) a stance that is no rule key: none for every key."""
        rng = self.rng
        while True:
            stance = rng.choice(list(T))
            actor = rng.choice(DOERS[stance])
            target: str | None = None
            if stance in TARGETED:
                pool = (
                    OTHER_RECIPIENTS + RECIPIENTS
                    if stance == "climate_finance"
                    else OTHER_PARTNERS + list(ACTORS)
                )
                target = rng.choice([a for a in pool if a != actor])
                if {actor, target} == {"china", "india"}:
                    continue
            if (actor, stance, target) in KEY_SET:
                continue
            # keep ambient doers away from the rule actors' own stances, so rule streams stay as planned
            if any(k[0] == actor and k[1] == stance for k in KEY_SET):
                continue
            polarity = rng.choice(["E", "E", "D"])
            return Line(self.fill(rng.choice(T[stance][polarity]), actor, stance, target, at))


def actor_matcher() -> ActorMatcher:
    actors = YAML(typ="safe").load(RULES_YAML)["actors"]
    return ActorMatcher({actor_id: spec["aliases"] for actor_id, spec in actors.items()})


def build(out: Path) -> None:
    rng = random.Random(SEED)
    writer = Writer(rng)
    matcher = actor_matcher()

    articles: list[Article] = []
    for day in range(DAYS):
        n = articles_on(day)
        base = START + timedelta(days=day)
        times = sorted(base + timedelta(minutes=rng.randrange(7 * 60, 23 * 60 + 50)) for _ in range(n))
        outlets = [OUTLETS[rng.randrange(len(OUTLETS))] for _ in range(n)]
        slots: list[list[Line]] = [[] for _ in range(n)]

        for rule_id, polarity, first, last, rate in PLAN:
            if not first <= day <= last:
                continue
            count = (
                drift_count(day) if rate < 0 else int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            )
            key = KEYS[rule_id]
            used: set[int] = set()
            for _ in range(count):
                free = [i for i in range(n) if i not in used] or list(range(n))
                i = min(free, key=lambda j: (len(slots[j]), rng.random()))
                used.add(i)
                slots[i].append(writer.stance_line(key, polarity, times[i]))
        for _ in range(round(n * AMBIENT_PER_ARTICLE)):
            i = rng.randrange(n)
            slots[i].append(writer.ambient_line(times[i]))
        if day in CHINA_BURST_DAYS:
            for template in rng.sample(CHINA_BURST, 6):
                i = rng.randrange(n)
                slots[i].append(Line(writer.fill(template, "china", "", None, times[i])))

        for i in range(n):
            lines = slots[i]
            size = max(len(lines), rng.randint(3, 8))
            while len(lines) < size:
                if rng.random() < 0.4:
                    actor = rng.choice(list(ACTORS))
                    line = Line(writer.fill(rng.choice(MENTIONS), actor, "", None, times[i]))
                    if not matcher.find(line.text):
                        raise ValueError(f"a mention names no actor: {line.text!r}")
                else:
                    pool = (
                        BACKGROUND_RUNUP
                        if day < SUMMIT_OPEN
                        else BACKGROUND_AFTER
                        if day > SUMMIT_CLOSE
                        else []
                    )
                    if not pool or rng.random() < 0.35:
                        pool = BACKGROUND
                    line = Line(writer.fill(rng.choice(pool), None, "", None, times[i]))
                    if matcher.find(line.text):
                        raise ValueError(f"background names an actor: {line.text!r}")
                lines.append(line)
            if len(lines) > 8:
                raise ValueError(f"day {day}: an article got {len(lines)} sentences")
            rng.shuffle(lines)
            cut = rng.randint(1, max(1, len(lines) - 1))
            paragraphs = [lines[:cut], lines[cut:]] if len(lines) > 3 else [lines]
            name, host = outlets[i]
            aid = f"cl-{day:02d}-{i:02d}"
            phase = (
                "run-up"
                if day < SUMMIT_OPEN
                else f"day {day - SUMMIT_OPEN + 1}"
                if day <= SUMMIT_CLOSE
                else "after"
            )
            title = f"Climate summit live, {phase}: {lines[0].text.rstrip('.?!')}"
            articles.append(Article(aid, name, f"https://{host}/live/{aid}", title, times[i], paragraphs))

    shifts = label_shifts(articles)
    check_schedule(articles, shifts)
    write_timeline(out, RULES_YAML, articles, shifts, readme(articles, shifts))


def evidence(articles: list[Article], key: Key, label: str) -> list[Article]:
    return [
        a for a in articles if any(line.labels.get(key) == label for para in a.paragraphs for line in para)
    ]


def first_and_end(hits: list[Article], since: datetime) -> tuple[datetime, datetime]:
    after = [a for a in hits if a.published_at >= since]
    first = after[0].published_at
    end = [a for a in after if a.published_at <= first + timedelta(hours=72)][-1].published_at
    return first, end


def drift_day(articles: list[Article]) -> int:
    """The first day whose trailing 3-day rate reaches 3x the baseline rate of days 0..DRIFT_FROM-1."""
    hits = evidence(articles, KEYS["australia-phaseout-drift"], "expresses")
    per_day = Counter((a.published_at - START).days for a in hits)
    baseline = sum(per_day[d] for d in range(DRIFT_FROM)) / DRIFT_FROM
    for day in range(DRIFT_FROM, DAYS):
        if sum(per_day[d] for d in range(day - 2, day + 1)) / 3 >= 3 * baseline:
            return day
    raise ValueError("the drift never reaches 3x its baseline")


SHIFT_DAYS = {
    "eu-finance-aosis": 17,
    "india-walkout": 21,
    "brazil-phaseout": 23,
    "saudi-blocks-text": 25,
    "us-loss-damage-fall": 9,
    "china-coalition-india-fall": 26,
}


def label_shifts(articles: list[Article]) -> list[dict[str, object]]:
    shifts: list[dict[str, object]] = []
    days = dict(SHIFT_DAYS, **{"australia-phaseout-drift": drift_day(articles)})
    for rule_id in KEYS:
        if rule_id not in days:
            continue
        actor, stance, target = KEYS[rule_id]
        fall = rule_id.endswith("-fall")
        hits = evidence(articles, KEYS[rule_id], "denies" if fall else "expresses")
        first, end = first_and_end(hits, START + timedelta(days=days[rule_id]))
        note = f"scheduled from day {days[rule_id]}"
        if rule_id == "australia-phaseout-drift":
            note = (
                f"gradual drift from day {DRIFT_FROM}; labelled at the first evidencing article of day "
                f"{days[rule_id]}, the first day whose trailing 3-day rate reaches 3x the days 0-9 baseline"
            )
        shifts.append(
            {
                "rule_id": rule_id,
                "actor": actor,
                "stance": stance,
                "target": target,
                "direction": "fall" if fall else "rise",
                "start": first.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "note": note,
            }
        )
    return shifts


def check_schedule(articles: list[Article], shifts: list[dict[str, object]]) -> None:
    """The promises of the brief: evidence after rises, history before falls, silence where promised."""
    for shift in shifts:
        rule_id = str(shift["rule_id"])
        key = KEYS[rule_id]
        start = datetime.strptime(str(shift["start"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if shift["direction"] == "rise":
            window = [
                a
                for a in evidence(articles, key, "expresses")
                if a.published_at < start + timedelta(hours=48)
            ]
            early = [a for a in window if a.published_at >= start]
            outlets = {a.source for a in early}
            if rule_id != "australia-phaseout-drift":
                if len(early) < 9 or len(outlets) < 5:
                    raise ValueError(f"{rule_id}: {len(early)} articles from {len(outlets)} outlets in 48 h")
                if len(window) != len(early):
                    raise ValueError(f"{rule_id}: expressed before its shift")
        else:
            before = [
                a
                for a in evidence(articles, key, "expresses")
                if start - timedelta(days=14) <= a.published_at < start
            ]
            after = [a for a in evidence(articles, key, "expresses") if a.published_at >= start]
            if len(before) < 10 or after:
                raise ValueError(f"{rule_id}: {len(before)} expressing before, {len(after)} after")
    for rule_id in ("saudi-walkout", "india-new-target", "china-finance-aosis"):
        if evidence(articles, KEYS[rule_id], "expresses"):
            raise ValueError(f"{rule_id} should never be expressed")


def readme(articles: list[Article], shifts: list[dict[str, object]]) -> str:
    lines = [line for a in articles for para in a.paragraphs for line in para]
    per_key = {rid: Counter(line.labels.get(key, "none") for line in lines) for rid, key in KEYS.items()}
    by_day = Counter((a.published_at - START).days for a in articles)
    events = dict(EVENTS)
    drift = drift_day(articles)
    events[drift] = "; ".join(
        filter(None, [events.get(drift), "Australian phase-out talk reaches 3x its baseline (drift shift)"])
    )
    out = [
        "# climate: a labelled timeline in a new domain (synthetic)",
        "",
        "Generated by scripts/domains/climate.py; synthetic, invented text. Every named person is fictional.",
        "",
        "A fictionalised two-week UN climate summit (days 14-27, overrun on day 28) with two weeks of run-up "
        "and two and a half weeks of aftermath, written as a live blog: no datelines, short present-tense "
        "sentences and fragments, time stamps inside sentences, quotes after a colon, rhetorical questions, "
        "negotiation jargon, nominalisations.",
        "",
        f"Counts: {len(articles)} articles from {len({a.source for a in articles})} outlets, {len(lines)} "
        f"sentences, {sum(1 for line in lines if line.labels)} sentences with a non-none label.",
        "",
        "## Scenario by day",
        "",
        "| day | date | phase | articles | events |",
        "|---|---|---|---|---|",
    ]
    for day in range(DAYS):
        date = (START + timedelta(days=day)).strftime("%a %Y-%m-%d")
        phase = "run-up" if day < SUMMIT_OPEN else "summit" if day <= SUMMIT_CLOSE else "after"
        out.append(f"| {day} | {date} | {phase} | {by_day[day]} | {events.get(day, '')} |")
    out += ["", "## Stance definitions", ""]
    out += [f"- `{name}`: {text}." for name, text in DEFINITIONS.items()]
    behaviour = {
        "eu-finance-aosis": "rise on day 17; hedged refusals before, lower rate after",
        "india-walkout": "rise on day 21",
        "brazil-phaseout": "rise on day 23; denials in the run-up",
        "saudi-blocks-text": "rise on day 25",
        "australia-phaseout-drift": f"quiet baseline {DRIFT_BASE}/day, climbing by {DRIFT_STEP}/day from day "
        f"{DRIFT_FROM} to at most {DRIFT_CAP}/day, {DRIFT_AFTER}/day after the summit (gradual drift)",
        "us-loss-damage-fall": "fall on day 9: steady backing before, denials only after",
        "china-coalition-india-fall": "fall on day 26: steady coordination from day 4, denials only after",
        "aosis-loss-damage": "quiet: steady background rate of about 1/day, no shift",
        "saudi-walkout": "quiet: rumours (none) on days 18 and 31, each denied the next day; never expressed",
        "india-new-target": "quiet: only denials and talk about it; never expressed",
        "china-finance-aosis": "quiet: never expressed; an unrelated burst of China coverage on days 12-14",
    }
    starts = {str(s["rule_id"]): f"{s['start']} to {s['end']}" for s in shifts}
    out += [
        "",
        "## Rules",
        "",
        "| rule | key | expected behaviour | labelled shift | expresses | denies |",
        "|---|---|---|---|---|---|",
    ]
    for rid, key in KEYS.items():
        c = per_key[rid]
        out.append(
            f"| {rid} | {key} | {behaviour[rid]} | {starts.get(rid, 'none')} | {c['expresses']} | "
            f"{c['denies']} |"
        )
    out += [
        "",
        "Shift `start` is the first evidencing article (expresses for a rise, denies for a fall) on or after "
        "the scheduled day; `end` is the last evidencing article within 72 hours. For the drift rule the shift "
        "is labelled at the first evidencing article of the first day whose trailing 3-day rate of expressing "
        f"articles reaches 3x the baseline rate of days 0-{DRIFT_FROM - 1}; being gradual, it does not have 9 "
        "evidencing articles within 48 hours.",
        "",
        "Labels follow the project's conventions: a sentence carries a label only for the rule key whose actor "
        "does (or refuses) the stance itself, toward the rule's target; urging, allegations, questions, "
        "conditionals, rumours, history, other actors doing the stance and the same stance toward another "
        "target are none.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
