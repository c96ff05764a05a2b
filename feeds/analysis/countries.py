"""Which states a story is about, with a relevance score.

Every gazetteer mention gets a weight by kind and place (title x3, first sentence x1.5); mentions that do not make a
story about a state weigh nothing or little: a dateline, "Chinese-made", "told Finnish broadcaster Yle", "the Oslo
Convention", plain geography ("a border with Russia") and background lists ("Russia, the US and China never
joined"). States that act in the analysis (a speaker's state, a treaty move) gain weight. A state is in when its
weight reaches IN_THRESHOLD; the score is its weight relative to the main state's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from feeds.analysis.gazetteer import Mention
from feeds.analysis.keys import Hits, has_any, key_hits
from feeds.analysis.text import first_class, lower, lower_re

IN_THRESHOLD = 1.5
TITLE_FACTOR = 3.0
LEAD_FACTOR = 1.5
KIND_WEIGHT = {
    "name": 1.0,
    "stem": 1.0,
    "institution": 1.0,
    "person": 1.0,
    "capital": 0.9,
    "adjective": 0.8,
    "place": 0.6,
}
ACTOR_ADJ_WEIGHT = 1.2
SPEAKER_BONUS = 1.0
TREATY_BONUS = 1.5
HINT_BONUS = 0.5
# A state named as the cause or target of the events ("citing the threat from Russia") gains this, once: enough on
# its own (the issue counts the cause as "about")
CAUSE_BONUS = 1.5
# A state that is the subject of a clause acts: it gains this, once
SUBJECT_BONUS = 1.0
# A state named only in the quotes of people who speak for no state (witnesses, residents) stays out
LAY_QUOTE_CAP = 0.5


@dataclass(frozen=True)
class CountryScore:
    """A state the story is about, ISO 3166 alpha-2, with relevance in (0, 1]."""

    code: str
    score: float


_DATELINE = re.compile(
    r"^\s*(?:[A-ZÅÄÖÆØÜ][A-Za-zÅÄÖÆØÜåäöæøü.' -]{1,40}?)(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?\s*"
    r"(?:\((?:[^\W\d_]|[ .&/-]){1,40}\))?\s*[-–—]{1,2}\s"
)
_PASSING_SUFFIX = re.compile(
    r"^-(?:made|built|designed|owned|flagged|registered|born|based|language|speaking|style|produced|manufactured|"
    r"origin|supplied|era)\b|^\s+(?:Declaration|Accords?|Agreements?|Process|Format|Group|"
    r"Final Act|Summit|Charter|Protocol|Times|Post|Herald)\b|"
    # "the Ottawa treaty", "Ottawa exit": a treaty named after a city is no story about its country
    r"^-?\s*(?i:convention|treaty|pact|accord|ban\s+treaty|exit|withdrawal|pull-?out)\b",
)
_MEDIA = re.compile(
    r"^\s+(?:public\s+|state\s+|commercial\s+)?(?:broadcaster|newspaper|daily|news\s+agency|news\s+outlet|outlet|"
    r"tabloid|magazine|radio|television|TV|media|news\s+site|language)\b",
    re.IGNORECASE,
)
_ACTOR_NOUN = re.compile(
    r"^\s+(?:[A-Z][\w-]+\s+){0,2}(?:government|parliament|lawmakers|MPs|cabinet|president|prime|foreign|defen[cs]e|"
    r"ministry|minister|authorities|officials?|leaders?|army|navy|air\s+force|military|armed|forces|troops|"
    r"border\s+(?:guards?|police|service|troops|forces|officers|agency|patrols?)|coast\s+guard|police|security|"
    r"intelligence|embassy|ambassador|diplomats?|envoy|president|PM|"
    # its military acts too: "a Russian submarine", "Russian jets"
    r"submarines?|warships?|corvettes?|frigates?|destroyers?|jets?|fighter\s+jets?|bombers?|aircraft|drones?|"
    r"helicopters?|missiles?|soldiers)\b",
    re.IGNORECASE,
)
_GEOGRAPHY = re.compile(
    r"(?:border(?:s|ing)?\s+(?:with\s+)?|frontiers?\s+with\s+|coast\s+of\s+|(?:north|south|east|west)(?:-?(?:east|west))?\s+of\s+|"
    r"\bkm\s+(?:from|of)\s+|kilometres\s+(?:from|of)\s+|miles\s+(?:from|of)\s+|\bnear\s+|close\s+to\s+|\boff\s+|"
    r"neighbouring\s+|neighboring\s+|waters\s+of\s+|bound\s+for\s+|destined\s+for\s+|"
    r"(?:heading|headed|sailing|sailed|en\s+route)\s+(?:to|for)\s+|(?:Gulf|Bay|Sea|Strait|Gulf)\s+of\s+)(?:the\s+)?"
    r"(?:[A-Z][\w’']*\s+(?:and|or)\s+)?$",
    re.IGNORECASE,
)
_PLACE_NOUN = re.compile(
    r"^\s+(?:port|city|town|village|region|coast|waters|exclave|island|territory|side|base|bases|airbase|border|"
    r"frontier)\b"
)
# After an adjective, what only says where a thing or a company comes from: "a Finnish airline's flight", "carrying
# Russian student visas", "a Chinese shipping company"
_OWNED_NOUN = re.compile(
    r"^\s+(?:[a-z]+\s+)?(?:airline|airlines|carrier|company|companies|firm|firms|operator|shipowner|manufacturer|"
    r"vessel|vessels|ship|ships|tanker|tankers|freighter|trawler|visas?|passports?|brand|tourists?)\b"
)
_REGION_OF = re.compile(
    r"(?:'s|’s)\s+[A-Z][\w-]+\s+(?:county|region|province|municipality|district|oblast)\b"
)
# The first three letters of each _PLACE_NOUN word
_PLACE_HEADS = frozenset(w[:3] for w in re.findall(r"[a-z]{3,}", _PLACE_NOUN.pattern))
# A window _GEOGRAPHY matches ends (`$`, blanks aside) with the last word of one of its phrases ("border", "with",
# "of", "from", "near", "to", "off", "neighbo(u)ring") or of its optional tail ("the", "X and", "X or"): a cheap
# `str.endswith` that rules out most windows. Keep it in step with _GEOGRAPHY.
_GEO_LAST = (
    "border",
    "borders",
    "bordering",
    "with",
    "of",
    "from",
    "near",
    "to",
    "off",
    "ring",
    "the",
    "and",
    "or",
    "for",
)
# Every _GEOGRAPHY match contains one of these (lower-case): most windows skip the full pattern.
_GEO_KEYS = re.compile(
    r"order|ontier|oast|th\sof|st\sof|rs\sof|lf\sof|ay\sof|ea\sof|it\sof|km|kilomet|miles|near|close|off\s|neighbo|"
    r"bound|destined|heade|headi|sail|route"
)
# More geography, on lower-cased windows that end with "between", "from" or "the" and hold "between" or "from":
# "the gap between Greenland, Iceland and Britain" (the later items follow the first), a path ("after crossing from
# Belarus")
_GEO_MORE = re.compile(
    r"(?:(?:gap|strait|straits|sea|waters|passage|corridor|route|airspace|land|strip|area|region|zone)\s+between|"
    r"(?:cross(?:ing|ed|es)?|strayed|straying|drift(?:ed|ing)|entering|entered)\s+(?:in\s+|over\s+)?from|"
    # the other end of a stretch: "the strip of land between the Kaliningrad exclave and Belarus"
    r"(?:gap|strait|straits|sea|waters|passage|corridor|route|land|strip|area|region|zone)\s+between\s+(?:the\s+)?"
    r"[\w-]+(?:\s+[\w-]+){0,2}\s+and|"
    # the far end of a link: "a cable linking Bornholm with southern Sweden"
    r"(?:linking|connecting|links|connects)\s+[^,.]{0,40}?(?:with|to|and)"
    r"(?:\s+(?:southern|northern|eastern|western|mainland))?|"
    # where infrastructure runs from: "submarine cables from Ireland ... come ashore"
    r"(?:cables|pipelines|interconnectors)\s+from|"
    # a journey's end points: "a flight from Helsinki to Vilnius"
    r"(?:flights?|journey|trip|voyage)\s+from|"
    # where a treaty was signed or adopted: "since it was signed in Oslo in 2008"
    r"(?:signed|adopted|concluded|negotiated)\s+in)"
    r"\s+(?:the\s+)?$"
)
_GEO_MORE_TAIL = ("between", "from", "between the", "from the", "and", "and the", " in")
_SIGNED = ("signed", "adopted", "concluded", "negotiated")
_LINK_TAIL = ("with", "to", "southern", "northern", "eastern", "western", "mainland")


def _geo_more(tail: str, window: str) -> bool:
    """`_GEO_MORE` ends the window: checked only when the words it needs are there (a tail ending in "and" is
    also every "Finland" and "Poland", and one ending in " in" is common)."""
    if tail.endswith(_LINK_TAIL):
        return ("link" in window or "connect" in window) and _GEO_MORE.search(window) is not None
    if not tail.endswith(_GEO_MORE_TAIL):
        return False
    if tail.endswith((" in",)):
        if not any(v in window for v in _SIGNED):
            return False
    elif tail.endswith(("and", "and the")) and "between" not in window:
        return False
    return _GEO_MORE.search(window) is not None


_BACKGROUND = re.compile(
    r"\b(?:never\s+(?:joined|signed|ratified|acceded)|(?:is|are|was|were|has|have)\s+not\s+(?:a\s+)?"
    r"(?:part(?:y|ies)|signator\w*|members?|joined|signed|ratified)|(?:have|has)n't\s+(?:joined|signed|ratified)|"
    r"outside\s+the\s+(?:treaty|convention)|non-(?:signator\w*|part(?:y|ies)|members?)|neither\s+of\s+which|"
    r"none\s+of\s+which|(?:is|are|remain|remains)\s+(?:also\s+)?(?:a\s+)?(?:party|parties|signator\w*)\s+to|"
    # who else is a party: "has 164 states parties, among them X", "counts X among its parties", "the remaining
    # Nordic parties are X"
    r"part(?:y|ies),?\s+(?:among\s+them|including|such\s+as)|among\s+(?:its|their|the)\s+(?:\w+\s+)?"
    r"(?:part(?:y|ies)|members|signator\w*)|remaining\s+(?:\w+\s+)?(?:part(?:y|ies)|signator\w*)|"
    # a relative clause on a treaty's past, its verb left without object ("the Open Skies Treaty, which Russia and
    # the United States have left.")
    r"(?:have|has|had)\s+(?:long\s+since\s+|since\s+|already\s+)?(?:left|quit|abandoned|withdrawn\s+from)"
    r"(?=\s*[,.;]))\b",
    re.IGNORECASE,
)


def score_countries(
    title: str,
    title_mentions: list[Mention],
    text: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    *,
    acting: Iterable[tuple[str, float]] = (),
    hint_countries: Iterable[str] = (),
    low: str | None = None,
    lay_quotes: list[tuple[int, int]] = (),  # type: ignore[assignment]
    hits: Hits | None = None,
    dateline: re.Match[str] | bool | None = False,
) -> list[CountryScore]:
    """The states the story is about, main state first. `hits` is `keys.key_hits(low)` and `dateline`
    `_DATELINE.match(text)`, when the caller has them."""
    low = lower(text) if low is None else low
    hits = key_hits(low) if hits is None else hits
    weight: dict[str, float] = {}
    title_low = None
    for m in title_mentions:
        if m.code:
            w = _mention_weight(title, m, 0) * TITLE_FACTOR
            title_low = lower(title) if title_low is None else title_low
            window = title_low[max(0, m.start - 45) : m.start]
            tail = window.rstrip()
            if (tail.endswith(_GEO_LAST) and _GEO_KEYS.search(window) and _GEOGRAPHY_LOW.search(window)) or (
                _geo_more(tail, window)
            ):
                w = min(w, 0.3)  # geography in a headline is still geography ("after crossing from Belarus")
            weight[m.code] = weight.get(m.code, 0.0) + w
    if dateline is False:
        dateline = _DATELINE.match(text)
    dl_end = dateline.end() if dateline else -1
    lead_end = sentences[0][1] if sentences else len(text)
    background = _background_sentences(text, sentences, low, hits)
    compared = _compared_sentences(low, sentences, hits)
    caused: set[str] = set()
    subjects: set[str] = set()
    last_subject = -1  # where the last subject mention ended
    examples = _example_lists(text, low, mentions) if "among" in hits else ()
    si = 0
    last = len(sentences) - 1
    s_start = sentences[0][0] if sentences else 0  # the start of sentence si
    prev: Mention | None = None  # the mention before, when its weight was capped as passing
    listed: Mention | None = None  # the mention before, when it was geography or an example in a list
    for m in mentions:
        start, end, code, kind, _text = m
        if not code or end <= dl_end:
            continue
        if si < last and sentences[si][1] <= start:
            while si < last and sentences[si][1] <= start:
                si += 1
            s_start = sentences[si][0]
        if prev is not None:
            if prev.code == code and _SAME_PHRASE.fullmatch(text, prev.end, start):
                prev = m  # "the U.S. State Department in Washington": one phrase, as passing as its head
                continue
            prev = None
        w = _mention_weight(text, m, s_start)
        window = low[max(s_start, start - 45) : start]
        tail = window.rstrip()
        # only the last word of a geographic, example-list or depositary phrase, or a list under way, asks for more
        if listed is not None or (tail.endswith(_SPECIAL_LAST) and _special_tail(tail)):
            w, listed = _passing_place(text, low, mentions, m, w, window, tail, s_start, listed)
        if examples and start in examples:
            w = min(w, 0.3)
        if w > 0.3 and text.startswith(" in ", start - 4) and _located_place(text, start - 4, s_start):
            w, prev = 0.3, m  # a place located by its state: "diverted to Gothenburg in Sweden"
        if text.startswith(" did", end) and _COMPARED.search(window):
            w = min(w, 0.3)  # a move compared with an earlier one: "a year after the United States did"
        elif tail.endswith(_YEARS_LAST) and _YEARS_AFTER.search(tail):
            w = min(w, 0.3)  # history: "two years after the United States closed its base"
        if kind == "person" and _intl_official(text, start, s_start):
            w = 0.0  # "NATO Secretary General Jens Stoltenberg" speaks for the alliance, not his state
        # the subject of a clause acts ("Finland, which deposited its notice in July, will leave ..."), even in a
        # comparison; the items of a list of subjects with it ("Lithuania and Latvia both stepped up patrols")
        # (a state in already needs neither: only a list of subjects going on asks whether it opened a clause)
        subject = False
        if kind in _SUBJECT_KINDS and (w > 0.3 or tail.endswith(_NEIGHBOURING)):
            s0 = s_start if s_start > dl_end else dl_end
            if (
                start - s0 <= 16
                or text.endswith(_CLAUSE_BOUNDARY, s0, start)
                or 0 <= start - last_subject <= 7
            ):
                if weight.get(code, 0.0) >= IN_THRESHOLD:
                    last_subject = end
                elif _is_subject(text, m, s0, last_subject):
                    subject = True
                    last_subject = end
        # the cause is read before the background cap: "the threat from Russia and Belarus, neither of which is a
        # party" names the cause in its main clause
        w_main = w
        if si in background:
            w = 0.0 if _in_list(text, m, mentions) else min(w, 0.3)
        elif si in compared and not subject:
            # a comparison: "following a path already taken by Finland", "as Britain has done"
            w = min(w, 0.3)
        if (
            w_main > 0
            and code not in caused
            and weight.get(code, 0.0) < IN_THRESHOLD
            and _is_cause(text, low, end, tail, window)
        ):
            caused.add(code)
        if lay_quotes and any(a <= start < b for a, b in lay_quotes):
            w = min(w, LAY_QUOTE_CAP)  # a witness's memory: "my uncle lost his leg to a mine in Afghanistan"
        elif subject and w > 0:
            subjects.add(code)
        if w <= 0.3:
            prev = m
        if start < lead_end:
            w *= LEAD_FACTOR
        weight[code] = weight.get(code, 0.0) + w
    mentioned = {c for c, w in weight.items() if w > 0}
    for code in caused:
        weight[code] += CAUSE_BONUS
    for code in subjects:
        weight[code] += SUBJECT_BONUS
    for code, bonus in acting:
        if code:
            weight[code] = weight.get(code, 0.0) + bonus
    for code in hint_countries:
        if code in mentioned:
            weight[code] += HINT_BONUS
    kept = sorted(((c, w) for c, w in weight.items() if w >= IN_THRESHOLD), key=lambda cw: (-cw[1], cw[0]))
    if not kept:
        return []
    top = kept[0][1]
    return [CountryScore(c, round(max(0.01, w / top), 2)) for c, w in kept]


# The words before a final "the" that a rule of _passing_place can end with ("near the", "coast of the", "between
# the", "including the", "such as the", "deposited with the", "war against the"; "neighbouring", "bordering" by "ring")
_BEFORE_THE = (
    "near",
    "off",
    "of",
    "to",
    "with",
    "from",
    "for",
    "border",
    "borders",
    "ring",
    "between",
    "and",
    "including",
    "as",
    "against",
)


def _special_tail(tail: str) -> bool:
    """Whether a tail that ends with a word of _SPECIAL_LAST can still be one of _passing_place's phrases: a tail
    ending in "the" only after one of _BEFORE_THE ("by the", "in the" never are), one ending in " in" only after
    "signed", "adopted", ... ("trained in" never is). Most tails of feed text end so: the call is skipped."""
    if tail.endswith(" in"):
        return tail[:-3].rstrip().endswith(_SIGNED)
    if tail.endswith("the") and (len(tail) == 3 or not tail[-4].isalpha()):
        before = tail[:-3].rstrip()
        return before.endswith(_BEFORE_THE)
    return True


def _passing_place(
    text: str,
    low: str,
    mentions: list[Mention],
    m: Mention,
    w: float,
    window: str,
    tail: str,
    s_start: int,
    listed: Mention | None,
) -> tuple[float, Mention | None]:
    """The weight of `m` after the geography, example-list and depositary rules, and the mention a list that goes on
    after it inherits its cap from (`listed`: the one before, when it was capped so)."""
    start, end = m.start, m.end
    capped = False  # geography, or an item of a list of examples
    if (tail.endswith(_GEO_LAST) and _GEO_KEYS.search(window) and _GEOGRAPHY_LOW.search(window)) or (
        _geo_more(tail, window)
    ):
        capped = True
    elif tail.endswith(_EXAMPLE_LAST):
        # a list of examples ("allies, including Norway, Italy and the United States"): the group acts, the states
        # named illustrate it
        idx = mentions.index(m)
        nxt = mentions[idx + 1] if idx + 1 < len(mentions) else None
        capped = (
            nxt is not None and nxt.start - end <= 10 and _LIST_GAP.match(text[end : nxt.start]) is not None
        )
    if not capped and tail.endswith(_EVENT_LAST) and _EVENT_REF.search(window):
        # a war named as the background of the story's events: "(Russia's) war against Ukraine", "since the
        # full-scale invasion of Ukraine"
        return min(w, 0.3), None
    if tail.endswith(_DEPOSITARY_LAST):
        seg = low[max(s_start, start - 110) : start]
        verb = "deposit" in seg or "lodg" in seg or "hand" in seg or "submit" in seg
        if verb and _DEPOSITARY.search(seg):
            w = min(w, 0.3)
    if not capped and listed is not None:
        # the next items of the list: "the gap between Greenland, Iceland and Britain"
        capped = start - listed.end <= 10 and _LIST_GAP.match(text[listed.end : start]) is not None
    if capped:
        return min(w, 0.3), m
    return w, None


# Before a state whose own move only serves as a comparison ("a year after the United States did", "as Norway did")
_COMPARED = re.compile(r"\b(?:after|before|as|than|like)\s+(?:the\s+)?$")
_YEARS_LAST = ("after", "after the", "before", "before the")
_YEARS_AFTER = re.compile(r"(?:years?|months?|decades?|weeks?)\s+(?:after|before)(?:\s+the)?$")
# A sentence that compares with another state's move: "follows similar moves by Poland", "a path already taken by
# Finland", "as Britain has done", "compared the move to Denmark's decision", "began the same process later"
_COMPARISON = re.compile(
    r"(?:similar|comparable|likewise|the\s+same\s+(?:process|path|step|steps|move|route|way|decision)|"
    r"(?:path|route|course|step)\s+(?:already\s+)?taken|(?:has|have|had)\s+(?:already\s+)?done(?:\s+so)?\b|"
    r"did\s+the\s+same|compar(?:ed|ing)\s+(?:it|this|that|the\s+\w+)\s+(?:to|with))"
)
# The cause or target of the events, lower-cased window before the mention: "citing the threat from Russia", "the
# threat posed by Russia and Belarus", "a response to the behaviour of Russia", "to deter Russia"
# Every _COMPARISON match holds one of these: most texts skip the pattern
_COMPARISON_KEYS = ("simil", "compar", "likewise", "the same", "taken", " done", "did the same")
_CAUSE = re.compile(
    r"(?:threats?|danger|aggression|behaviou?r|pressure|provocations?|hostility|intimidation|menace)\s+"
    r"(?:\w+\s+)?(?:from|by|of)\s+(?:the\s+)?(?:[\w'’-]+\s+(?:and|or)\s+(?:the\s+)?)?$|"
    r"(?:(?<![a-z])deter(?:ring)?|respon(?:se|d|ding)\s+to|(?<![a-z])citing|"
    # the one defended against: "defending itself against Russia and Belarus"
    r"defen[cds]\w*\s+(?:\w+\s+){0,2}?against|"
    # the states whose officials act: "the defence ministers of Latvia, Lithuania and Estonia recommended"
    r"(?:ministers?|leaders|governments|presidents|prime\s+ministers|parliaments|heads\s+of\s+state)\s+of)"
    r"\s+(?:the\s+)?(?:[\w'’-]+\s*(?:,|and|or)\s+(?:and\s+)?(?:the\s+)?){0,4}$"
)
# What a _CAUSE window ends with, and one of the words it holds (cheap checks first)
_CAUSE_LAST = ("from", "by", "of", "the", "and", "or", "deter", "deterring", "to", "citing", "against", ",")
_CAUSE_KEY = re.compile(
    r"threat|danger|aggress|behavio|pressure|provocat|hostil|intimid|menace|deter|respon|citing|defen|ministers? of|"
    r"leaders of|governments of|presidents of|parliaments of|heads of state of"
)
_POSSESSIVE = ("'s", "’s")
# After a state's name: its own threat or aggression ("Russia's aggression", "Russia's growing threat")
_CAUSE_AFTER = re.compile(
    r"(?:'s|’s)\s+(?:\w+\s+)?(?:aggression|threat|threats|provocations?|hybrid|invasion|behaviou?r|"
    r"war\s+(?:against|on|in))\b"
)


_NEIGHBOURING = ("neighbouring", "neighboring")
_SUBJECT_KINDS = frozenset({"name", "capital", "stem"})
# Before a subject that opens a clause, from the sentence start: blanks, a quote mark, "Neighbouring"; or a clause
# boundary
_CLAUSE_OPEN = re.compile(r"[\s\"“„«‘']*(?:(?:[Nn]eighbou?ring|[Ff]ellow|[Nn]earby)\s+)?")
_CLAUSE_BOUNDARY = (
    ", and ",
    "; ",
    " but ",
    " while ",
    " whereas ",
    ": ",
    ". ",
    "! ",
    "? ",
    '"',
    "“",
    "„",
    "«",
    ".\n",
    ":\n",
)
_LIST_OF_SUBJECTS = re.compile(r"(?:,\s*|\s+and\s+|,\s*and\s+)(?:the\s+)?")
# After a subject: more items of its list, a relative clause between commas, adverbs, then a finite verb
_VERB_AFTER = re.compile(
    r"(?:(?:,|\s+and|\s+or|,\s+and)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)*"
    r"(?:,\s+(?:which|who|whose|where)\s(?:[^,.;]|,(?=\d))*,)?"
    r"\s+(?:(?:also|both|already|now|still|then|not|jointly|together|formally|officially|itself|too|on\s+[A-Z]\w+day)"
    r"\s+)*(?:has|have|had|is|are|was|were|will|would|could|can|must|should|may|might|does|did|"
    r"said|told|made|took|began|left|sent|won|lost|put|set|shot|held|met|became|came|gave|kept|built|spent|brought|"
    r"bought|fought|sought|struck|drew|threw|went|ran|saw|got|paid|laid|led|fell|stood|broke|chose|rose|wrote|spoke|"
    r"sold|[a-z]{2,}(?:ed|es|s))\b(?![^.;]{0,80}\b(?:in|since)\s+(?:19|20)\d\d\b)"
)


def _is_subject(text: str, m: Mention, s_start: int, last_subject: int) -> bool:
    """Whether the mention is the subject of a clause: it opens the sentence or a clause (or goes on a list of
    subjects) and a finite verb follows it; not in a clause set in a past year ("Finland joined in 2012")."""
    start = m.start
    if not (
        text.endswith(_CLAUSE_BOUNDARY, s_start, start)
        or (start - s_start <= 16 and _CLAUSE_OPEN.fullmatch(text, s_start, start))
        or (last_subject >= 0 and _LIST_OF_SUBJECTS.fullmatch(text, last_subject, start))
    ):
        return False
    return _VERB_AFTER.match(text, m.end, min(len(text), m.end + 220)) is not None


def _located_place(text: str, at: int, s_start: int) -> bool:
    """Whether a capitalised place name ends at `at` (before " in STATE"), after a preposition: "to Gothenburg"."""
    w0 = text.rfind(" ", s_start, at)
    if w0 < 0 or not text[w0 + 1 : w0 + 2].isupper() or not text[w0 + 1 : at].isalpha():
        return False
    return text.endswith(_PLACE_PREPS, max(s_start, w0 - 6), w0 + 1)


_PLACE_PREPS = (" to ", " at ", " from ", " near ", " via ", " of ", " and ")


def _is_cause(text: str, low: str, end: int, tail: str, window: str) -> bool:
    """Whether the mention ending at `end` names the cause or target of the events (see _CAUSE, _CAUSE_AFTER);
    the cheap tests on the tail first."""
    if tail.endswith(_CAUSE_LAST) and _CAUSE_KEY.search(tail) and _CAUSE.search(window):
        return True
    return text.startswith(_POSSESSIVE, end) and _CAUSE_AFTER.match(low, end) is not None


def _compared_sentences(low: str, sentences: list[tuple[int, int]], hits: Hits) -> set[int]:
    """Indices of the sentences that compare with another state's move (see _COMPARISON)."""
    out: set[int] = set()
    checked: set[int] = set()
    starts: list[int] = []
    for k, found in hits.items():
        if k not in _COMPARISON_KEYS:
            continue
        for at in found:
            starts = starts or [s for s, _ in sentences]
            i = bisect_right(starts, at) - 1
            if i >= 0 and i not in checked:
                checked.add(i)
                if _COMPARISON.search(low, *sentences[i]):
                    out.add(i)
    return out


# A list closed as examples: "Norway, Denmark and Italy are among the allies that ...", "over Finland, Poland and
# Gotland among other places" (lower-cased text at "among")
_AMONG = re.compile(r"among\s+(?:other|others\b|the\s)")
_AMONG_BEFORE = re.compile(r"(?:\s+(?:are|were|is|was|be|also))*\s*,?\s*$")
# Between two items of such a list: a list gap, or a head noun ("the Swedish island of Gotland")
_ITEM_GAP = re.compile(r"(?:,\s*|\s+and\s+|,\s*and\s+|\s+or\s+)(?:the\s+)?|\s+[a-z]+\s+of\s+(?:the\s+)?")


def _example_lists(text: str, low: str, mentions: list[Mention]) -> set[int]:
    """The starts of the mentions that are items of a list closed by "among ...": examples, no actors."""
    out: set[int] = set()
    starts = [m.start for m in mentions]
    for a in _AMONG.finditer(low):
        p = a.start()
        i = bisect_right(starts, p) - 1
        if i < 0 or not _AMONG_BEFORE.fullmatch(low, mentions[i].end, p):
            continue
        items = [mentions[i]]
        while i > 0 and _ITEM_GAP.fullmatch(text, mentions[i - 1].end, mentions[i].start):
            i -= 1
            items.append(mentions[i])
        if len({m.code for m in items if m.code}) >= 2 or len(items) >= 3:
            out.update(m.start for m in items)
    return out


def _intl_official(text: str, start: int, s_start: int) -> bool:
    """Whether the person named at `start` is introduced by an office in an international body."""
    return (
        text[start - 2 : start - 1] in _INTL_LAST_CHARS
        and text[max(0, start - 12) : start].rstrip().endswith(_INTL_LAST)
        and _INTL_ROLE.search(text, max(s_start, start - 50), start) is not None
    )


# Between two mentions of one state that make one phrase ("U.S. State Department in Washington")
_SAME_PHRASE = re.compile(r"\s+|\s+(?:in|at)\s+|,\s+|(?:'s|’s)\s+")
# A person's office in an international body, right before the name
_INTL_ROLE = re.compile(
    r"\b(?:NATO|Nato|EU|UN|United Nations|OSCE|European Commission|European Council)(?:'s|’s)?\s+"
    r"(?:[Dd]eputy\s+)?(?:Secretary[- ]General|[Ss]ecretary[- ]general|chief|[Hh]ead|President|"
    r"[Ff]oreign policy chief|High Representative|[Ss]pokes(?:man|woman|person))\s*$"
)
_INTL_LAST_CHARS = frozenset("lfdtne")  # the last letters of _INTL_LAST
_INTL_LAST = ("eneral", "chief", "ead", "President", "Representative", "person", "man", "woman")
# The depositary of a treaty instrument receives it; it does not act ("deposited ... with the U.S. State Department")
_DEPOSITARY = re.compile(
    r"(?<![a-z])(?:deposit\w*|lodg\w*|hand\w*\s+over|submit\w*)\b[^.;]{0,80}?\s(?:with|to)\s+(?:the\s+)?$"
)
_DEPOSITARY_LAST = ("with", "to", "with the", "to the")


# A war or an invasion named by its target, lower-cased window before the mention
_EVENT_REF = re.compile(r"(?:\bwar|invasion|aggression|attack)\s+(?:against|of|on)\s+(?:the\s+)?$")
_EVENT_LAST = ("of", "against", "of the", "against the")
_EXAMPLE_LAST = ("including", "such as", "among them", "notably", "including the", "such as the")
# What those phrases end with (the depositary's "with", "to" and "the" are in _GEO_LAST)
_SPECIAL_LAST = (
    *_GEO_LAST,
    "between",
    "including",
    "as",
    "them",
    "notably",
    "against",
    " in",
    "southern",
    "northern",
    "eastern",
    "western",
    "mainland",
)


# The first two letters, lower-cased, of every word of _PASSING_SUFFIX (the word after its "-" or blanks: "-made",
# " Declaration", " treaty" in any case). Keep in step with _PASSING_SUFFIX.
_PASSING_HEADS = frozenset(
    w[:2].lower() for w in re.findall(r"[A-Za-z]{2,}", _PASSING_SUFFIX.pattern.replace("(?i:", "("))
)


def _mention_weight(text: str, m: Mention, sent_start: int) -> float:
    end = m.end
    first = text[end : end + 1]
    # _PASSING_SUFFIX: "-" and/or blanks, then a word from its lists; most mentions are followed by another word
    # (or by punctuation, which no suffix starts with)
    if first == "-" or first.isspace():
        after = text[end : end + 40]
        head = (after[1:].lstrip() if first == "-" else after.lstrip())[:2]
        # (an odd letter, "ı" or "ſ", may fold into a word of the pattern: then ask the pattern)
        if (head.lower() in _PASSING_HEADS or not head.isascii()) and _PASSING_SUFFIX.match(after):
            return 0.0
    kind = m.kind
    if kind == "name":
        # a name used as a modifier: "the former U.S. base" (_PLACE_NOUN: a blank, then one of its words)
        if (
            first == " "
            and text[end + 1 : end + 4] in _PLACE_HEADS
            and _PLACE_NOUN.match(text[end : end + 40])
        ):
            return 0.3
        if (first == "'" or first == "’") and _REGION_OF.match(text, end):
            return 0.3  # a region named by its state: "in Norway's Troms county"
        return KIND_WEIGHT["name"]
    w = KIND_WEIGHT.get(kind, 1.0)
    if kind == "adjective":
        after = text[end : end + 40]
        # a language: "where most residents speak Russian", "published in Estonian and Russian"
        if (first in _LANG_AFTER or after.startswith((" and ", " or "))) and _LANGUAGE_BEFORE.search(
            text, max(sent_start, m.start - 12), m.start
        ):
            return 0.0
        if _MEDIA.match(after):
            return 0.0
        if _ACTOR_NOUN.match(after):
            w = ACTOR_ADJ_WEIGHT
        elif _PLACE_NOUN.match(after) or _OWNED_NOUN.match(after):
            w = 0.3
    return w


# Before an adjective that names a language, when no noun follows it
_LANGUAGE_BEFORE = re.compile(
    r"(?:\b(?:speak|speaks|speaking|spoke|spoken|fluent|in)|\b(?:Estonian|Latvian|Lithuanian|Finnish|Swedish|"
    r"Russian|Ukrainian|Polish|English)\s+(?:and|or))\s+$",
    re.IGNORECASE,
)
_LANG_AFTER = frozenset(".,;:!?)")
_GEOGRAPHY_LOW = lower_re(_GEOGRAPHY.pattern)
_BACKGROUND_LOW = lower_re(_BACKGROUND.pattern.replace("\\b(?:", "(?<![a-z])(?:", 1))
# _BACKGROUND_LOW run at word starts only: step on a character that is no a-z letter (what its look-behind asks)
# and look ahead. `re` skips the letters of words in its fast scan for the class; a pattern that opens with a
# look-behind is tried at every position. Group 1 holds the match (see _background_matches).
_BACKGROUND_SCAN = re.compile(
    "[^a-z](?=" + (first_class(_BACKGROUND_LOW.pattern) or "") + ")(?=(" + _BACKGROUND_LOW.pattern + "))"
)


def _background_matches(low: str) -> list[tuple[int, int]]:
    """The spans of `_BACKGROUND_LOW.finditer(low)`."""
    out = []
    last = -1
    m = _BACKGROUND_LOW.match(low)  # a match at 0 has no character before it to step on
    if m is not None:
        out.append(m.span())
        last = m.end()
    for m in _BACKGROUND_SCAN.finditer(low):
        a, b = m.span(1)
        if a >= last:
            out.append((a, b))
            last = b
    return out


# Every _BACKGROUND match contains one of these, or "not" before a party word (_not_a_party): a text without any has
# no background sentence.
_BACKGROUND_KEYS = (
    "never",
    "n't",
    "outside",
    "non-",
    "neither",
    "none",
    "party",
    "parties",
    "signator",
    "members",
    "left",
    "quit",
    "abandoned",
    "withdrawn",
)


_NOT_PARTY = re.compile(r"\s+(?:a\s+)?(?:part(?:y|ies)|signator|members?|joined|signed|ratified)")


def _not_a_party(low: str, hits: Hits) -> bool:
    """Whether "not" is followed by a word of _BACKGROUND's "is not a party" alternative somewhere in `low` (what
    the keys "s not" and "e not" used to let through: most texts with "has not" have nothing to do with treaties)."""
    return any(at and low[at - 1].isspace() and _NOT_PARTY.match(low, at + 3) for at in hits.get("not", ()))


def _background_sentences(
    text: str, sentences: list[tuple[int, int]], low: str | None = None, hits: Hits | None = None
) -> set[int]:
    """Indices of the sentences that give background ("Russia ... never joined")."""
    low = lower(text) if low is None else low
    hits = key_hits(low) if hits is None else hits
    if not has_any(hits, _BACKGROUND_KEYS) and not _not_a_party(low, hits):
        return set()
    out: set[int] = set()
    starts = [s for s, _ in sentences]
    for m_start, m_end in _background_matches(low):
        i = bisect_right(starts, m_start) - 1
        if i < 0:
            continue
        s, e = sentences[i]
        if m_end <= e or (i not in out and _BACKGROUND_LOW.search(low, s, e)):
            out.add(i)
    return out


_LIST_GAP = re.compile(
    r"^(?:,\s*|\s+and\s+|,\s*and\s+|\s+or\s+|,\s*the\s+|\s+and\s+the\s+|,\s*and\s+the\s+)$"
)


def _in_list(text: str, m: Mention, mentions: list[Mention]) -> bool:
    """Whether `m` is an item of a list of states ("Russia, the US and China")."""
    for o in mentions:
        if o is m or not o.code or o.code == m.code:
            continue
        if 0 <= m.start - o.end <= 10 and _LIST_GAP.match(text[o.end : m.start]):
            return True
        if 0 <= o.start - m.end <= 10 and _LIST_GAP.match(text[m.end : o.start]):
            return True
    return False


# What `keys.key_hits` looks for on behalf of this module
SCAN_KEYS = (*_BACKGROUND_KEYS, "not", "among", *_COMPARISON_KEYS)
