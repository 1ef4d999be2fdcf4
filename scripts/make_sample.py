#!/usr/bin/env python3
"""Write the project's invented sample news stream: examples/articles.jsonl and examples/articles-with-errors.jsonl.

Everything here is fiction written for this project: the outlets live on the reserved `.example` domain and
every sentence comes from the templates below. Stdlib only and seeded, so the output is byte-for-byte the same
on every run:

    python scripts/make_sample.py            # writes examples/
    python scripts/make_sample.py --out DIR  # somewhere else

The stream covers 2025-03-01 .. 2025-03-30 and holds:

- background news mentioning the tracked actors (economy, weather, meetings, sport, culture);
- hard negatives for "Russia offers mediation": others urging Moscow to mediate, open questions, Kremlin
  denials, history;
- Qatar offering mediation every day or two, all month (a steady background: no alert);
- shift 1 (rule russia-offers-mediation): from 2025-03-16 Russia offers to mediate / host talks, several
  outlets, 3-6 articles a day for six days, then a tail;
- shift 2 (rule china-calls-ceasefire): a rare background until 2025-03-20, then Beijing presses for a
  ceasefire, several outlets, for four days, then a tail.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20250301
START = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 30
RUSSIA_SHIFT_DAY = 16  # 2025-03-16
CHINA_SHIFT_DAY = 20  # 2025-03-20

# name -> (host, short code used in datelines)
OUTLETS = {
    "Example Wire": "wire.example",
    "Harbor Dispatch": "harbordispatch.example",
    "The Meridian Post": "meridianpost.example",
    "Northgate Times": "northgatetimes.example",
    "Global Ledger": "globalledger.example",
    "Capital Observer": "capitalobserver.example",
    "Eastern Courier": "easterncourier.example",
    "Daily Compass": "dailycompass.example",
    "Orbit News": "orbitnews.example",
    "Tidewater Herald": "tidewaterherald.example",
}
OUTLET_NAMES = list(OUTLETS)
REPORTERS = [
    "Anna Keller", "Tomas Reyes", "Lena Okafor", "Marek Hollis", "Priya Nandakumar", "Jonas Varga",
    "Sofia Lindqvist", "Omar Haddad", "Claire Dufresne", "Dmitri Sokol", "Hana Mori", "Ethan Brooks",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# ---------------------------------------------------------------------------------------------------------
# Background: neutral news, each story a (dateline place, title, sentences) template with {slots}.
# ---------------------------------------------------------------------------------------------------------

BACKGROUND = [
    ("MOSCOW", "Russian central bank holds rate as inflation lingers", [
        "Russia's central bank kept its benchmark rate at {rate} percent on {weekday}, saying price growth was slowing only gradually.",
        "Governor-level officials told a briefing in Moscow that lending to households had cooled since January.",
        "Analysts polled beforehand had expected no change.",
        "The rouble was little moved after the decision, trading near {fx} to the dollar.",
        "The next rate meeting is scheduled for late April.",
    ]),
    ("MOSCOW", "Heavy snow snarls Moscow traffic", [
        "A late-winter storm dumped more than {cm} centimetres of snow on Moscow overnight, the city's weather service said.",
        "Traffic on the ring road slowed to a crawl during the morning rush and several flights were delayed.",
        "City crews deployed thousands of ploughs, officials said.",
        "Forecasters expect temperatures to rise above freezing by the weekend.",
    ]),
    ("MOSCOW", "Kremlin says Putin to visit regions next week", [
        "Vladimir Putin will travel to the Volga region next week to inspect a new bridge and meet factory workers, Kremlin spokesman Dmitry Peskov said on {weekday}.",
        "Peskov gave no further details of the schedule.",
        "The president made a similar tour of Siberian cities last autumn.",
        "Regional officials said preparations were under way.",
    ]),
    ("MOSCOW", "Russian grain exports climb in February", [
        "Russian wheat shipments rose about {pct} percent in February from a year earlier, according to preliminary customs figures.",
        "Traders cited strong demand from buyers in North Africa and the Middle East.",
        "The agriculture ministry kept its forecast for this year's harvest unchanged.",
        "Black Sea freight rates edged higher over the month.",
    ]),
    ("MOSCOW", "Lavrov meets Central Asian counterparts", [
        "Sergei Lavrov hosted foreign ministers from five Central Asian states in Moscow on {weekday} to discuss transport links and water sharing.",
        "The ministers signed a joint statement on rail corridors, the Russian foreign ministry said.",
        "Lavrov told reporters the talks had been businesslike.",
        "The group agreed to meet again in Astana in the autumn.",
    ]),
    ("TEHRAN", "Iran's currency slides to new low", [
        "Iran's rial weakened again on the open market on {weekday}, traders in Tehran said.",
        "Shopkeepers reported rising prices for imported food and medicine.",
        "The central bank said it would release more hard currency to importers.",
        "Economists blamed uncertainty over the regional confrontation and sanctions.",
    ]),
    ("TEHRAN", "Pezeshkian unveils budget priorities", [
        "President Masoud Pezeshkian presented his spending priorities to parliament on {weekday}, promising more money for water projects.",
        "Lawmakers are expected to debate the plan for several weeks.",
        "Iranian officials said oil revenue assumptions had been kept cautious.",
        "Opposition deputies questioned the cost of fuel subsidies.",
    ]),
    ("TEHRAN", "Dust storm closes schools in southwest Iran", [
        "Authorities closed schools and government offices in Khuzestan province after a dust storm cut visibility to a few hundred metres.",
        "Hospitals treated dozens of people for breathing problems, the Iranian health ministry said.",
        "Officials in Tehran said the closures would last at least two days.",
        "Dust storms have become more frequent as wetlands dry up.",
    ]),
    ("JERUSALEM", "Israeli inflation eases in February", [
        "Israel's annual inflation rate slowed to {infl} percent in February, the statistics bureau said on {weekday}.",
        "Housing costs continued to rise, while food prices were flat.",
        "Economists said the figure could allow the central bank to consider a cut later in the year.",
        "The shekel firmed slightly after the release.",
    ]),
    ("JERUSALEM", "Netanyahu's coalition faces budget deadline", [
        "Benjamin Netanyahu's governing coalition has until the end of the month to pass a budget or face an early election.",
        "Coalition partners were still arguing over funding for religious schools, Israeli media reported.",
        "The finance ministry said it expected a vote in the final week of March.",
        "Opposition leaders called the negotiations chaotic.",
    ]),
    ("TEL AVIV", "Israeli tech start-ups raise record sums", [
        "Israeli technology start-ups raised about {bn} billion dollars in the first two months of the year, an industry group said.",
        "Cybersecurity and chip design firms drew the largest rounds.",
        "Investors said valuations had recovered from last year's slump.",
        "The report was based on disclosed deals only.",
    ]),
    ("WASHINGTON", "US jobs growth beats forecasts", [
        "American employers added {jobs} jobs last month, the Labor Department said on {weekday}, more than economists had expected.",
        "The unemployment rate held steady.",
        "Wage growth slowed slightly, which markets read as a sign of easing price pressure.",
        "Treasury yields rose after the report.",
    ]),
    ("WASHINGTON", "Rubio to visit Asia next month", [
        "Secretary of State Marco Rubio will travel to Tokyo, Seoul and Manila in April, the State Department said.",
        "The trip will focus on trade, shipping lanes and regional security, a spokesperson said.",
        "Rubio is also expected to meet business leaders in each capital.",
        "It will be his second trip to the region since taking office.",
    ]),
    ("WASHINGTON", "Trump signs order on shipbuilding", [
        "Donald Trump signed an executive order on {weekday} aimed at reviving American shipbuilding, the White House said.",
        "The order directs agencies to prepare incentives for domestic yards within ninety days.",
        "Industry groups welcomed the move, while some economists questioned the cost.",
        "Congress would need to approve any new funding.",
    ]),
    ("BEIJING", "China's factory activity picks up", [
        "Chinese factory activity grew for a second straight month in February, an official survey showed on {weekday}.",
        "New export orders improved, although property investment remained weak.",
        "Beijing has set a growth target of around five percent for this year.",
        "Economists said more stimulus could follow if demand falters.",
    ]),
    ("BEIJING", "Xi opens annual legislative session", [
        "Xi Jinping attended the opening of China's annual legislative session in Beijing, where delegates reviewed the government's work report.",
        "The report promised support for consumption and high-tech manufacturing.",
        "Delegates will sit for about a week.",
        "State media highlighted new measures for elderly care.",
    ]),
    ("BEIJING", "Wang Yi holds talks with African ministers", [
        "Chinese Foreign Minister Wang Yi met counterparts from several African countries in Beijing on {weekday} to discuss infrastructure loans and trade.",
        "The ministers agreed to expand direct flights, the Chinese foreign ministry said.",
        "Wang said China would import more farm products from the continent.",
        "A follow-up meeting is planned for the summer.",
    ]),
    ("ANKARA", "Turkish inflation slows again", [
        "Turkey's annual inflation eased to {tinfl} percent in February, the statistics institute said on {weekday}.",
        "The central bank in Ankara has kept policy tight to bring prices under control.",
        "Rents and restaurant prices were still rising quickly.",
        "The lira was steady after the data.",
    ]),
    ("ISTANBUL", "Erdogan opens new airport terminal", [
        "Recep Tayyip Erdogan inaugurated a new terminal at an airport on the Asian side of Istanbul on {weekday}.",
        "The Turkish president said the expansion would double passenger capacity.",
        "Airlines expect a busy tourist season, officials said.",
        "Construction took just under three years.",
    ]),
    ("ANKARA", "Fidan hosts Balkan foreign ministers", [
        "Turkish Foreign Minister Hakan Fidan hosted counterparts from the western Balkans in Ankara to discuss energy links and trade.",
        "The ministers agreed to study a new gas interconnector, according to a joint statement.",
        "Fidan said Turkey wanted closer economic ties with the region.",
        "The meeting ended with a working dinner.",
    ]),
    ("BRUSSELS", "EU agrees new rules on battery recycling", [
        "European Union negotiators reached a deal on {weekday} on tighter recycling targets for batteries, the European Commission said.",
        "Manufacturers will have to recover a larger share of lithium by the end of the decade.",
        "Industry groups said the timeline was demanding but workable.",
        "The agreement still needs formal approval by member states.",
    ]),
    ("BRUSSELS", "Von der Leyen presents defence spending plan", [
        "Ursula von der Leyen presented a plan to help member states raise defence spending, including joint borrowing for air defence.",
        "Several capitals welcomed the proposal, while others raised concerns about debt.",
        "EU leaders are expected to discuss it at their summit later this month.",
        "Brussels said details would follow in April.",
    ]),
    ("BRUSSELS", "Kallas chairs foreign ministers' meeting", [
        "Kaja Kallas chaired a meeting of EU foreign ministers in Brussels on {weekday} that covered Ukraine, the Western Balkans and the Middle East.",
        "Ministers discussed humanitarian aid and shipping security in the Red Sea.",
        "Kallas told reporters the bloc remained united on its core positions.",
        "No new decisions were announced.",
    ]),
    ("DOHA", "Qatar's gas expansion on schedule", [
        "Qatar's liquefied natural gas expansion is on track to start production next year, the energy ministry said on {weekday}.",
        "The project will raise the country's export capacity by more than half.",
        "Buyers in Europe and Asia have signed long-term supply deals.",
        "Officials in Doha said construction was about {pct} percent complete.",
    ]),
    ("DOHA", "Doha hosts regional football final", [
        "Doha will host the final of a regional club football tournament this weekend, organisers said.",
        "More than forty thousand tickets have been sold.",
        "Qatari officials said the stadiums built for the World Cup were being reused for regional events.",
        "The match kicks off in the evening local time.",
    ]),
    ("GENEVA", "Oil prices steady as traders weigh supply", [
        "Oil prices were little changed on {weekday} as traders weighed tighter Middle East supply against weak demand in Europe.",
        "Brent crude hovered near {oil} dollars a barrel.",
        "Analysts said Iranian exports had held up despite sanctions.",
        "Shipping insurers raised premiums for tankers in the Gulf.",
    ]),
    ("GENEVA", "UN agency appeals for Middle East aid", [
        "A United Nations agency appealed for more funding to help civilians displaced by the confrontation between Israel and Iran.",
        "The agency said it had received less than a third of what it needed this year.",
        "Donors including the European Union and the United States have pledged more aid.",
        "Aid workers said supply routes remained difficult.",
    ]),
]  # fmt: skip

# The regional confrontation itself: factual reports that mention Israel, Iran and others, no tracked stance.
CONFLICT = [
    ("JERUSALEM", "Sirens sound across northern Israel", [
        "Air-raid sirens sounded across northern Israel on {weekday} evening, the Israeli military said.",
        "The IDF said most incoming projectiles were intercepted.",
        "Residents spent several hours in shelters.",
        "There were no immediate reports of casualties.",
    ]),
    ("TEHRAN", "Explosions reported near Iranian air base", [
        "Several explosions were heard near an air base in western Iran overnight, Iranian state media reported.",
        "Officials in Tehran said air defences had been activated.",
        "The cause of the blasts could not be independently verified.",
        "Flights at a nearby civilian airport were briefly suspended.",
    ]),
    ("TEHRAN", "Araghchi says Iran will respond to any attack", [
        "Iranian Foreign Minister Abbas Araghchi said on {weekday} that his country would respond firmly to any strike on its territory.",
        "He spoke after a cabinet meeting in Tehran.",
        "Araghchi said Iran was not seeking a wider war.",
        "Western diplomats said tensions were at their highest in months.",
    ]),
    ("JERUSALEM", "Israel Katz visits units on northern front", [
        "Defence Minister Israel Katz toured military units near the northern border on {weekday}.",
        "Katz said the army was prepared for every scenario.",
        "Israeli officials said reservists had been called up in several units.",
        "Schools in border communities switched to remote learning.",
    ]),
    ("WASHINGTON", "Pentagon moves more ships to the region", [
        "The Pentagon said on {weekday} it was sending an additional destroyer to the eastern Mediterranean.",
        "A spokesperson said the deployment was defensive.",
        "Washington has repeatedly urged Iran and Israel to avoid steps that widen the confrontation.",
        "The move brings the number of US warships in the area to at least six.",
    ]),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Hard negatives for russia-offers-mediation: Russia is mentioned next to mediation, but does not offer it.
# ---------------------------------------------------------------------------------------------------------

HARD_NEGATIVES = [
    ("BRUSSELS", "EU ministers ask Moscow to press Tehran", [
        "Several European foreign ministers urged Russia on {weekday} to use its influence in Tehran to calm the confrontation with Israel.",
        "Kaja Kallas told reporters that Moscow had channels to the Iranian leadership that others lacked.",
        "There was no immediate response from the Russian foreign ministry.",
        "The ministers also discussed humanitarian aid for displaced civilians.",
    ]),
    ("ANALYSIS", "Could Moscow broker a deal between Iran and Israel?", [
        "Could Moscow broker an end to the confrontation between Iran and Israel?",
        "Analysts interviewed for this article were sceptical.",
        "Russia has close ties with Tehran but its relations with Israel have cooled, said a researcher at a London think tank.",
        "Any role for the Kremlin would also need Washington's blessing, she added.",
        "So far no side has asked for it.",
    ]),
    ("MOSCOW", "Kremlin says it is not carrying messages", [
        "The Kremlin said on {weekday} it was not acting as an intermediary between Tehran and Jerusalem.",
        "Dmitry Peskov told reporters that reports of Russian shuttle diplomacy were untrue.",
        "He said Moscow was following events closely and was in contact with many capitals.",
        "Peskov declined to say whether Putin had spoken to Netanyahu recently.",
    ]),
    ("HISTORY", "How Russia has played go-between before", [
        "Russia has tried its hand at diplomacy in the region before, with mixed results.",
        "A decade ago Moscow was one of the powers that negotiated the nuclear agreement with Iran.",
        "Russian diplomats also hosted rounds of talks on Syria in Kazakhstan's capital.",
        "Historians say those efforts depended on a rare alignment with Washington.",
    ]),
    ("WASHINGTON", "US official dismisses idea of Russian role", [
        "A senior US official said Washington saw no role for Russia in easing the confrontation between Israel and Iran.",
        "The official, speaking on condition of anonymity, said Moscow could not be a neutral party.",
        "The State Department said diplomacy would continue through existing channels.",
        "Israeli officials declined to comment.",
    ]),
    ("ANKARA", "Erdogan says Putin could help calm the region", [
        "Recep Tayyip Erdogan said on {weekday} that Vladimir Putin could help calm tensions between Iran and Israel if he chose to.",
        "The Turkish president made the remark in a television interview.",
        "He said Turkey was ready to support any serious diplomatic initiative.",
        "The Kremlin has not commented on the idea.",
    ]),
    ("MOSCOW", "Lavrov says Russia is watching the Gulf closely", [
        "Sergei Lavrov said on {weekday} that Russia was watching the situation in the Gulf with concern.",
        "Asked whether Moscow would step in, Lavrov said it was too early to talk about any Russian initiative.",
        "He said the parties themselves had to show restraint.",
        "Russian oil companies have kept operating in the region.",
    ]),
    ("MOSCOW", "Russia denies sending air defences to Iran", [
        "Russia denied on {weekday} that it had sent any new air-defence systems to Iran.",
        "A Russian defence ministry statement called the reports a fabrication.",
        "Western officials had said satellite images showed unusual cargo flights.",
        "The Iranian embassy in Moscow did not respond to requests for comment.",
    ]),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Qatar's steady mediation background (every day or two all month): must NOT alert.
# ---------------------------------------------------------------------------------------------------------

QATAR_LEADS = [
    "Qatar said on {weekday} it remained ready to host indirect talks between Iran and Israel.",
    "Qatari Prime Minister Mohammed bin Abdulrahman said his government was passing messages between the two sides.",
    "Doha offered again to bring Iranian and Israeli envoys to the same city for indirect negotiations.",
    "Qatar's foreign ministry said its mediators were in daily contact with both parties.",
    "The Emir of Qatar, Tamim bin Hamad, said his country would spare no effort to help the two sides reach an understanding.",
    "Qatari officials said they had proposed a framework for a de-escalation and were waiting for replies.",
    "Qatar repeated its offer to mediate, saying a negotiated solution was the only way out.",
    "A Qatari spokesperson said Doha's channels to both governments were open and working.",
]
QATAR_MORE = [
    "Qatar has mediated in several regional disputes in recent years.",
    "Officials in Doha gave no timetable for any meeting.",
    "Diplomats said the offer had been received politely but without commitment.",
    "The statement was issued after a cabinet session in Doha.",
    "Qatar also hosts one of the largest US air bases in the region.",
    "A Qatari delegation was reported to have visited Muscat earlier in the week.",
    "Neither Iran nor Israel has publicly accepted the proposal.",
    "Qatari officials described the contacts as discreet and continuing.",
]
QATAR_TITLES = [
    "Qatar repeats offer to host talks", "Doha says mediation channels remain open",
    "Qatar keeps up shuttle diplomacy", "Qatari mediators in contact with both sides",
    "Qatar urges dialogue, offers venue", "Doha presses on with mediation effort",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Shift 1: Russia offers mediation (from RUSSIA_SHIFT_DAY). Paraphrases, never copies, of the stance examples.
# ---------------------------------------------------------------------------------------------------------

RUSSIA_LEADS = [
    "Vladimir Putin said on {weekday} that Russia was prepared to mediate between Iran and Israel if both sides wished it.",
    "The Kremlin offered to host negotiations between Iranian and Israeli representatives in Moscow.",
    "Sergei Lavrov said Russia could serve as an honest broker between Tehran and Jerusalem and was ready to start at once.",
    "Dmitry Peskov told reporters that Moscow was willing to arrange direct or indirect talks to end the confrontation.",
    "Russia put forward a plan for mediated talks and invited envoys from Iran and Israel to the Russian capital.",
    "Putin told his security council that Russia would offer its good offices to bring the fighting to an end.",
    "Lavrov said Moscow had relayed proposals between the two sides and was prepared to host a first round of talks.",
    "The Kremlin said Putin had offered in phone calls with both leaders to act as an intermediary.",
    "Russia's foreign ministry said it stood ready to organise a meeting of Iranian and Israeli negotiators on Russian soil.",
    "Peskov said the president was personally prepared to help broker a settlement between Iran and Israel.",
    "Moscow offered on {weekday} to convene talks between Iranian and Israeli officials, saying it had the trust of both.",
    "Lavrov said Russia was willing to carry messages between Tehran and Jerusalem and to help them reach a deal.",
]
RUSSIA_QUOTES = [
    '"We are ready to provide a platform for dialogue," Peskov said.',
    '"Russia has good relations with both countries and can help them talk," Lavrov told a news conference.',
    "Putin said he had discussed the idea with the Iranian president and the Israeli prime minister.",
    "A Kremlin aide said the venue could be Moscow or the Black Sea resort of Sochi.",
    "Lavrov said Russian diplomats had already sounded out officials in both capitals.",
    "The Russian foreign ministry said a mediation proposal had been handed to both embassies in Moscow.",
    "Peskov said the offer was not conditional on any other issue.",
    "Putin said Moscow would be a neutral host and wanted nothing in return.",
]
RUSSIA_REACTIONS = [
    "Officials in Tehran said they would study the offer.",
    "Israeli officials did not immediately respond to the proposal.",
    "The State Department said Washington was aware of the Russian offer and would discuss it with partners.",
    "Diplomats in Brussels said the EU had not been consulted in advance.",
    "Iran's foreign ministry spokesman called the initiative worth exploring.",
    "Analysts said the offer marked a change of tone from Moscow, which until now had kept its distance.",
    "Turkey said it welcomed any effort that could lower tensions.",
    "Netanyahu's office said it had received a message from the Kremlin but gave no details.",
]
RUSSIA_CONTEXT = [
    "The offer comes after two weeks of escalating exchanges of fire between Israel and Iran.",
    "Qatar has also been passing messages between the two sides.",
    "Oil prices fell slightly on hopes of de-escalation.",
    "Russia has close ties with Iran and a large Russian-speaking community lives in Israel.",
    "The United Nations has called repeatedly for the confrontation to be contained.",
    "It was not clear whether either side would accept.",
]
RUSSIA_TITLES = [
    "Putin offers to mediate between Iran and Israel", "Kremlin offers to host Iran-Israel talks",
    "Russia proposes talks in Moscow", "Lavrov: Russia ready to be a broker",
    "Moscow pitches itself as go-between", "Russia steps forward with mediation offer",
    "Kremlin says Putin ready to help end confrontation", "Russia invites Iranian, Israeli envoys",
    "Moscow offers platform for dialogue", "Russia presses mediation plan",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------
# Shift 2: China calls for a ceasefire (rare before CHINA_SHIFT_DAY, then sustained).
# ---------------------------------------------------------------------------------------------------------

CHINA_LEADS = [
    "China called on {weekday} for an immediate halt to the fighting between Israel and Iran.",
    "Wang Yi urged both sides to stop the strikes at once and go back to the negotiating table.",
    "Xi Jinping said the bombing must end without delay and called for a truce to protect civilians.",
    "Beijing demanded an immediate ceasefire, saying the confrontation threatened the whole region.",
    "Chinese Foreign Minister Wang Yi said a ceasefire was urgent and pressed both governments to accept one.",
    "China's foreign ministry appealed for restraint and an immediate end to hostilities.",
    "Xi Jinping told visiting leaders that the guns had to fall silent and talks had to start.",
    "Beijing pressed for a truce in a statement, urging Iran and Israel to stop firing.",
]
CHINA_QUOTES = [
    '"Force cannot bring lasting peace," Wang said.',
    "A Chinese foreign ministry spokesperson said China would work with the UN Security Council on the issue.",
    "Wang said he had spoken by phone with his Iranian counterpart and planned to call Israeli officials.",
    "Chinese state media gave the statement prominent coverage.",
    "Beijing also announced emergency humanitarian aid for displaced civilians.",
    "Xi said China was ready to play a constructive role.",
]
CHINA_REACTIONS = [
    "Israeli officials did not comment.",
    "Iran's foreign ministry said it welcomed the Chinese position.",
    "Western diplomats said Beijing's tone had become noticeably more urgent.",
    "The European Union said it shared the concern.",
    "Analysts noted that China is the largest buyer of Iranian oil.",
    "Oil traders watched the statement closely.",
]
CHINA_TITLES = [
    "China calls for immediate ceasefire", "Wang Yi urges halt to fighting", "Xi calls for truce",
    "Beijing demands end to hostilities", "China presses Iran, Israel to stop firing",
    "Chinese leaders step up ceasefire appeals",
]  # fmt: skip
CHINA_BACKGROUND_LEADS = [
    "A Chinese foreign ministry spokesperson said Beijing hoped all parties would exercise restraint.",
    "Wang Yi said in a phone call with an Arab counterpart that China supported calm in the region.",
]


def _fill(rng: random.Random, text: str, day: datetime) -> str:
    values = {
        "weekday": WEEKDAYS[day.weekday()],
        "rate": rng.choice(["21", "20", "19"]),
        "fx": str(rng.randint(84, 92)),
        "cm": str(rng.randint(18, 35)),
        "pct": str(rng.randint(8, 40)),
        "infl": f"{rng.uniform(2.6, 3.6):.1f}",
        "tinfl": f"{rng.uniform(38, 44):.1f}",
        "bn": f"{rng.uniform(1.4, 2.9):.1f}",
        "jobs": f"{rng.randint(140, 260)},000",
        "oil": str(rng.randint(68, 82)),
    }
    return text.format(**values)


def _dateline(place: str, source: str) -> str:
    if place in {"ANALYSIS", "HISTORY"}:
        return ""
    return f"{place} ({source}) - "


def _time_on(rng: random.Random, day: int) -> datetime:
    # Busiest in the European/Middle East working day, some overnight.
    hour = min(23, max(0, int(rng.gauss(11.5, 4.5))))
    return START + timedelta(days=day - 1, hours=hour, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))


def _compose(
    rng: random.Random, place: str, source: str, lead: str, extras: list[str], n_total: int, day: datetime
) -> str:
    sentences = [lead, *extras[: max(0, n_total - 1)]]
    body = " ".join(_fill(rng, s, day) for s in sentences)
    byline = f"By {rng.choice(REPORTERS)}. " if rng.random() < 0.35 else ""
    return byline + _dateline(place, source) + body


def _background(rng: random.Random, day: int, pool: list[tuple[str, str, list[str]]]) -> dict[str, object]:
    place, title, sentences = rng.choice(pool)
    source = rng.choice(OUTLET_NAMES)
    when = _time_on(rng, day)
    n = rng.randint(3, min(6, len(sentences)))
    lead, rest = sentences[0], sentences[1:]
    extras = rng.sample(rest, len(rest))
    return {
        "title": title,
        "body": _compose(rng, place, source, lead, extras, n, when),
        "when": when,
        "source": source,
    }


def _shift_article(
    rng: random.Random,
    day: int,
    place: str,
    source: str,
    leads: list[str],
    pools: list[list[str]],
    titles: list[str],
    early_hour: bool = False,
    lead: str | None = None,
) -> dict[str, object]:
    when = _time_on(rng, day)
    if early_hour:
        when = when.replace(hour=rng.randint(7, 9))
    n = rng.randint(3, 6)
    extras = [rng.choice(pool) for pool in pools]
    rng.shuffle(extras)
    extras = list(dict.fromkeys(extras))
    body = _compose(rng, place, source, lead or rng.choice(leads), extras, n, when)
    return {"title": rng.choice(titles), "body": body, "when": when, "source": source}


def build(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    items: list[dict[str, object]] = []
    for day in range(1, DAYS + 1):
        # Neutral background and the conflict itself (which gets busier in the second week).
        for _ in range(rng.randint(5, 7)):
            items.append(_background(rng, day, BACKGROUND))
        for _ in range(rng.randint(1, 2) if day >= 10 else rng.randint(0, 1)):
            items.append(_background(rng, day, CONFLICT))
        # Hard negatives, about one a day, all month.
        if rng.random() < 0.85:
            items.append(_background(rng, day, HARD_NEGATIVES))
        # Qatar: every day or two.
        if day % 2 == 1 or rng.random() < 0.3:
            src = rng.choice(OUTLET_NAMES)
            items.append(
                _shift_article(
                    rng, day, "DOHA", src, QATAR_LEADS, [QATAR_MORE, QATAR_MORE, QATAR_MORE], QATAR_TITLES
                )
            )
        # Shift 1: Russia offers mediation.
        if day >= RUSSIA_SHIFT_DAY:
            k = day - RUSSIA_SHIFT_DAY
            count = [4, 6, 5, 5, 4, 3][k] if k < 6 else rng.randint(0, 2)
            sources = rng.sample(OUTLET_NAMES, count)
            leads = rng.sample(RUSSIA_LEADS, count)  # outlets word their own stories: no lead twice a day
            for i, src in enumerate(sources):
                items.append(
                    _shift_article(
                        rng, day, "MOSCOW", src, RUSSIA_LEADS,
                        [RUSSIA_QUOTES, RUSSIA_REACTIONS, RUSSIA_CONTEXT, RUSSIA_QUOTES, RUSSIA_REACTIONS],
                        RUSSIA_TITLES, early_hour=(k == 0 and i == 0), lead=leads[i],
                    )
                )  # fmt: skip
        # Shift 2: China calls for a ceasefire; a rare background before.
        if day >= CHINA_SHIFT_DAY:
            k = day - CHINA_SHIFT_DAY
            count = [5, 5, 4, 3][k] if k < 4 else rng.randint(0, 1)
            leads = rng.sample(CHINA_LEADS, count)
            for i, src in enumerate(rng.sample(OUTLET_NAMES, count)):
                items.append(
                    _shift_article(
                        rng, day, "BEIJING", src, CHINA_LEADS, [CHINA_QUOTES, CHINA_REACTIONS, CHINA_QUOTES],
                        CHINA_TITLES, early_hour=(k == 0 and i == 0), lead=leads[i],
                    )
                )  # fmt: skip
        elif day % 6 == 3:
            src = rng.choice(OUTLET_NAMES)
            items.append(
                _shift_article(
                    rng, day, "BEIJING", src, CHINA_BACKGROUND_LEADS, [CHINA_REACTIONS], CHINA_TITLES[:1]
                )
            )

    items.sort(key=lambda it: (it["when"], it["source"], it["title"]))
    articles: list[dict[str, object]] = []
    for i, it in enumerate(items, start=1):
        when = it["when"]
        assert isinstance(when, datetime)
        source = str(it["source"])
        slug = "-".join(w.strip("?:,'\"").lower() for w in str(it["title"]).split()[:6])
        articles.append(
            {
                "id": f"a-{i:06d}",
                "title": it["title"],
                "body": it["body"],
                "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "source": source,
                "url": f"https://{OUTLETS[source]}/{when:%Y/%m/%d}/{slug}-{i:06d}",
                "lang": "en",
            }
        )
    return articles


def _dump(article: dict[str, object]) -> str:
    return json.dumps(article, ensure_ascii=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "examples")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    articles = build()
    lines = [_dump(a) for a in articles]
    (args.out / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # The same stream with three malformed lines in the middle, to show dead-lettering.
    bad_json = '{"id": "a-bad-001", "title": "Truncated line", "body": "This line was cut off in transit'
    missing = _dump({"id": "a-bad-002", "title": "No timestamp", "body": "Officials met in Doha on Monday.",
                     "source": "Orbit News", "url": "https://orbitnews.example/no-timestamp", "lang": "en"})  # fmt: skip
    vague = _dump({"id": "a-bad-003", "title": "Vague timestamp", "body": "Oil prices rose in Asian trade.",
                   "published_at": "yesterday", "source": "Daily Compass",
                   "url": "https://dailycompass.example/vague-timestamp", "lang": "en"})  # fmt: skip
    mid = len(lines) // 2
    with_errors = [
        *lines[: mid - 20],
        bad_json,
        *lines[mid - 20 : mid],
        missing,
        *lines[mid : mid + 20],
        vague,
    ]
    with_errors += lines[mid + 20 :]
    (args.out / "articles-with-errors.jsonl").write_text("\n".join(with_errors) + "\n", encoding="utf-8")
    print(
        f"wrote {len(articles)} articles to {args.out / 'articles.jsonl'} (+3 malformed in articles-with-errors.jsonl)"
    )


if __name__ == "__main__":
    main()
