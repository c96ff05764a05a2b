"""Direct quotations and who said them.

For each quoted span (text.find_quotes) the attribution is looked for, in order:
  1. after the quote, in its sentence:   `"...," said NAME[, ROLE]` / `"...," NAME[, ROLE,] said` / `, according to NAME`
  2. before the quote, in its sentence:  `NAME said (that) ... "..."` / `NAME told Reuters: "..."` / `According to NAME, "..."`
  3. the statement just before it in the paragraph (a split quote `"X," she said, "Y"`, or a follow-on quote).
A speaker phrase is split into role words (titles, ministries, demonyms) and a person's name; pronouns and surnames are
resolved to the fullest form of a name mentioned earlier; a phrase without a name is kept as its descriptor.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from feeds.analysis.gazetteer import Gazetteer, gazetteer
from feeds.analysis.text import FastRe, Quoted, cue_data, fold_safe, lower
from feeds.analysis.text import lower_re as _lower_re

MIN_WORDS = 3
UNATTRIBUTED_MIN_WORDS = 6


@dataclass(frozen=True)
class Statement:
    """A direct quotation with its attribution; start/end are offsets of `quote` in the text."""

    speaker: str | None
    role: str | None
    speaker_country: str | None
    quote: str
    cue: str | None
    start: int
    end: int


PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "him",
        "her",
        "his",
        "hers",
        "them",
        "он",
        "она",
        "они",
        "hän",
        "han",
        "hon",
        "hun",
        "de",
        "ta",
        "jis",
        "ji",
        "jie",
        "on",
        "ona",
        "oni",
    ]
)
# Words that make up roles. Lower-case ones are matched case-insensitively; the capitalised forms of titles too.
ROLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "premier",
        "minister",
        "ministry",
        "ministers",
        "foreign",
        "defence",
        "defense",
        "interior",
        "affairs",
        "deputy",
        "vice",
        "secretary",
        "state",
        "general",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "press",
        "ambassador",
        "envoy",
        "chancellor",
        "chairman",
        "chairwoman",
        "chair",
        "head",
        "chief",
        "commander",
        "commanding",
        "officer",
        "officials",
        "official",
        "lawmaker",
        "lawmakers",
        "mp",
        "member",
        "members",
        "leader",
        "director",
        "senior",
        "former",
        "acting",
        "adviser",
        "advisor",
        "diplomat",
        "diplomats",
        "representative",
        "mayor",
        "governor",
        "king",
        "queen",
        "crown",
        "prince",
        "princess",
        "speaker",
        "parliament",
        "parliamentary",
        "committee",
        "agency",
        "service",
        "armed",
        "forces",
        "force",
        "navy",
        "naval",
        "army",
        "air",
        "border",
        "guard",
        "guards",
        "intelligence",
        "security",
        "police",
        "military",
        "defense",
        "national",
        "government",
        "cabinet",
        "council",
        "staff",
        "admiral",
        "colonel",
        "lieutenant",
        "major",
        "captain",
        "brigadier",
        # their abbreviations ("Brig. Gen. Tarmo Laas"; "Gen.", "Lt.", "Col." below)
        "brig",
        "capt",
        "cpt",
        "sgt",
        "cmdr",
        "cdr",
        "commandant",
        "counsel",
        "professor",
        "analyst",
        "researcher",
        "expert",
        "fellow",
        "lecturer",
        "economist",
        "scientist",
        "director-general",
        "secretary-general",
        "party",
        "opposition",
        "coalition",
        "mep",
        "deputies",
        "senator",
        "congressman",
        "congresswoman",
        "rep",
        "sen",
        "gen",
        "lt",
        "col",
        "maj",
        "adm",
        "commissioner",
        "high",
        "representative",
        "top",
        "chiefs",
        "ministerial",
        "permanent",
        "undersecretary",
        "under-secretary",
        "attache",
        "nato",
        "eu",
        "un",
        "european",
        "union",
        "office",
        "department",
        "embassy",
        "mission",
        "delegation",
        "detective",
        "inspector",
        "superintendent",
        "sergeant",
        "prosecutor",
        "judge",
        # portfolios, ranks and parts of office names that are capitalised in titles ("Justice Minister X",
        # "Rear Admiral X", "Coast Guard", "Civil Defence Minister X", "Left Alliance MP X")
        "justice",
        "finance",
        "finances",
        "economy",
        "economic",
        "trade",
        "transport",
        "education",
        "health",
        "energy",
        "environment",
        "climate",
        "agriculture",
        "culture",
        "labour",
        "social",
        "digital",
        "civil",
        "development",
        "infrastructure",
        "industry",
        "emergency",
        "migration",
        "citizenship",
        "integration",
        "home",
        "fisheries",
        "maritime",
        "regional",
        "municipal",
        "rear",
        "coast",
        "left",
        "centre",
        "alliance",
        "chargé",
        "d'affaires",
    ]
)
FUNCTION_WORDS = frozenset(["of", "for", "to", "the", "at", "on", "in", "and", "'s", "’s"])
ACADEMIC = re.compile(
    r"\b(?:professor|analyst|researcher|expert|fellow|lecturer|scientist|economist|university|institute|think[- ]tank|"
    r"academ\w*|Amnesty|Human Rights Watch|ICBL|Red Cross|ICRC|NGO|campaign|Landmine Monitor|monitor|"
    r"Stockholm International Peace Research Institute|SIPRI|Carnegie|Chatham House|RUSI|ISW|"
    + "|".join(cue_data()["roles"]["non_state"])
    + r")\b",
    re.IGNORECASE,
)
SUPRANATIONAL = re.compile(
    r"\b(?:NATO|Nato|EU|European Union|European Commission|European Council|European Parliament|UN|United Nations|"
    r"OSCE|alliance)\b"
)
NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "But",
        "And",
        "Or",
        "As",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "However",
        "Meanwhile",
        "Also",
        "Still",
        "Yet",
        "Although",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "His",
        "Her",
        "Their",
        "Our",
        "We",
        "They",
        "He",
        "She",
        "I",
        "You",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Reuters",
        "AP",
        "AFP",
        "Bloomberg",
        "TASS",
        "Tass",
        "RIA",
        "Interfax",
        "Yle",
        "ERR",
        "LSM",
        "LRT",
        "BNS",
        "LETA",
        "STT",
        "TT",
        "NTB",
        "Ritzau",
        "DPA",
        "dpa",
        "Xinhua",
        "Novosti",
        "CNN",
        "BBC",
        "Politico",
        "Twitter",
        "X",
        "Telegram",
        "Facebook",
        "Instagram",
        "YouTube",
        "Ministry",
        "Committee",
        "Convention",
        "Treaty",
        "Article",
        "Parliament",
        "Government",
        "Council",
        "Office",
        "Agency",
        "Service",
        "Forces",
        "Army",
        "Navy",
        "Guard",
        "Command",
        "Union",
        "Commission",
        "Alliance",
        "Defence",
        "Defense",
        "Foreign",
        "Affairs",
        "Interior",
        "Security",
        "Intelligence",
        "State",
        "Department",
        "House",
        "Kremlin",
        "NATO",
        "Nato",
        "EU",
        "UN",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "According",
        "Speaking",
        "Asked",
        "Earlier",
        "Later",
        "Last",
        "Next",
        "New",
        "One",
        "Two",
        "Three",
        "Many",
        "Some",
        "Several",
        "Both",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Nordic",
        "Baltic",
        "European",
        "Arctic",
        "Sea",
        "Ocean",
        "Gulf",
        "Bay",
        "Isthmus",
        "Peninsula",
        "Statement",
        "Briefing",
        "Press",
        "Conference",
        "Sunday's",
        "Spokesman",
        "Spokeswoman",
        "Spokesperson",
    ]
)
ORG_WORDS = frozenset(
    [
        "Institute",
        "Institution",
        "International",
        "Campaign",
        "Coalition",
        "Centre",
        "Center",
        "Foundation",
        "University",
        "Alliance",
        "Policy",
        "Analysis",
        "Studies",
        "Council",
        "Committee",
        "Commission",
        "Agency",
        "Organisation",
        "Organization",
        "Association",
        "Group",
        "Watch",
        "Monitor",
        "Party",
        "Company",
        "Corporation",
        "Forces",
        "Guard",
        "Command",
        "Office",
        "Ministry",
        "Service",
        "Bank",
        "Fund",
        "Network",
        "Forum",
        "Academy",
        "School",
        "College",
        "Society",
        "Union",
        "Movement",
        "Front",
        "Board",
        "Court",
        "Parliament",
        "Assembly",
        "Police",
        "Navy",
        "Army",
        "Directorate",
        "Cross",
        "Amnesty",
    ]
)
# National offices: with no state named, their holder serves the story's home state (see _People.country).
_GOV_ROLE = re.compile(
    r"\b(?:minister|ministry|lawmaker|MP|parliament\w*|government|president|premier|prime|spokes\w+|official|"
    r"ambassador|envoy|diplomat|commander|chief of|general|admiral|chancellor|secretary|police|inspector|"
    r"superintendent|detective|border guard|coast guard|defen[cs]e forces|armed forces|navy|army|air force|colonel|"
    r"brigadier|lieutenant|captain|prosecutor|chargé|defen[cs]e|deputy|legislator|senator|"
    + "|".join(cue_data()["roles"]["gov_roles"])
    + r")\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*|[,:;()]")
_TRAIL_ADVERBIALS = re.compile(
    r"(?:(?:\s*,\s*|\s+)(?:on|last|this|late|early) (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|"
    r"year|night|morning|evening|\d{1,2} \w+|\w+ \d{1,2})\b|(?:\s*,\s*|\s+)(?:also|later|then|meanwhile|however|further|earlier|"
    r"previously|again|once|repeatedly|separately|recently|too|has|have|had|was|is|were|would|will)\b|\s*[,;:]\s*)+$",
    re.IGNORECASE,
)
# Every word of _TRAIL_ADVERBIALS (and some letters of its escapes), lower-cased: see _strip_trailing_adverbials.
_TRAIL_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", _TRAIL_ADVERBIALS.pattern))


def _strip_trailing_adverbials(phrase: str) -> str:
    """`_TRAIL_ADVERBIALS.sub("", phrase)`, quicker. The pattern is tried at every blank of the phrase; but a match
    runs to the end, which it reaches with a blank or [,;:], one of its words, a number of one or two digits, or a
    word after such a number ("on 3 March"). A phrase that ends with another word (a name, mostly) is left as is."""
    last = phrase[-1:]
    if last and not last.isspace() and last not in ",;:":
        k = len(phrase)
        while k and (phrase[k - 1].isalnum() or phrase[k - 1] == "_"):
            k -= 1
        word = phrase[k:]
        if (
            word
            and fold_safe(word)
            and word.lower() not in _TRAIL_WORDS
            and not (len(word) <= 2 and word.isdecimal())
            and not (phrase[k - 1 : k] == " " and phrase[k - 2 : k - 1].isdecimal())
        ):
            return phrase
    return _TRAIL_ADVERBIALS.sub("", phrase)


_LEAD_IN = re.compile(r"^[\s,.:;!?]*(?:[—–-]+\s*)?")
_LABEL_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this)\s*$", re.IGNORECASE)
_LABEL_AFTER = re.compile(r"\s+(?!(?:said|says|told|added|wrote|according)\b)[a-z][a-z-]+\b(?!,)")
_TITLE_CONTEXT = re.compile(
    r"(?:titled|entitled|headlined|dubbed|so-called|known as|nicknamed|slogan|hashtag|book|film|documentary|song|"
    r"album|named|called)\s*[,:]?\s*$",
    re.IGNORECASE,
)

_LABEL_BEFORE_FAST = FastRe(_LABEL_BEFORE.pattern, _LABEL_BEFORE.flags)
# Every _TITLE_CONTEXT word ends with one of these letters (any case, as `re` folds them): a window whose last letter
# before the closing `\s*[,:]?\s*` is none of them cannot match.
_TITLE_LAST = re.compile(r"[dsngkmy]", re.IGNORECASE)


def _title_context(window: str) -> bool:
    """`_TITLE_CONTEXT.search(window)`, quicker: most windows fail on their last letter."""
    t = window.rstrip()
    if t[-1:] in (",", ":"):
        t = t[:-1].rstrip()
    if not t or not _TITLE_LAST.match(t, len(t) - 1):
        return False
    if fold_safe(window):
        return _TITLE_CONTEXT_LOW.search(lower(window)) is not None
    return _TITLE_CONTEXT.search(window) is not None


# Lower-case twins of IGNORECASE patterns, run on lower-cased text where text.fold_safe holds (the same matches;
# `re` tries every alternative of an IGNORECASE pattern at every word start, a case-sensitive twin skips ahead).
_TITLE_CONTEXT_LOW = _lower_re(_TITLE_CONTEXT.pattern)
_ACADEMIC_LOW = _lower_re(ACADEMIC.pattern)


def _academic(phrase: str) -> bool:
    """`ACADEMIC.search(phrase)`, quicker."""
    if fold_safe(phrase):
        return _ACADEMIC_LOW.search(lower(phrase)) is not None
    return ACADEMIC.search(phrase) is not None


_LEAD_FUNCTION_WORDS = FUNCTION_WORDS - {"the"}
_DESCRIPTOR_STARTS = frozenset({"a", "an", "the"} | ROLE_WORDS)


@cache
def _cue_re(lang: str | None) -> re.Pattern[str]:
    cues = list(cue_data()["cues"]["en"])
    if lang and lang != "en":
        cues += cue_data()["cues"].get(lang, [])
    alts = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(set(cues), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


@cache
def _cue_low(lang: str | None) -> re.Pattern[str]:
    """`_cue_re(lang)` for lower-cased text (text.lower): a few times faster than IGNORECASE, under which `re` must
    enter every alternative at every word start. Same matches where text.fold_safe holds."""
    return _lower_re(_cue_re(lang).pattern)


@dataclass
class _Speaker:
    name: str | None  # a person's name as written here
    role: str | None
    descriptor: str | None  # no name: the phrase itself
    pronoun: bool = False
    it: bool = False  # the pronoun is "it": a body, never a person


# Before a name that is no subject: the one told, thanked, met
_OBJECT_BEFORE = (
    "told ",
    " to ",
    " by ",
    " in ",
    " at ",
    " on ",
    " for ",
    " with ",
    " met ",
    "thanked ",
    " and ",
)


class _People:
    """Names seen so far in the article: surname -> fullest form, role and country, in order of mention."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.full: dict[str, str] = {}  # any form -> fullest form
        self.role: dict[str, str] = {}  # fullest form -> role text
        self.mentions: list[tuple[int, str]] = []  # (offset, fullest form)
        self.pending: dict[str, Callable[[], str | None]] = {}

    def add(self, name: str, role: str | None, at: int) -> str:
        full = self.resolve(name)
        if len(full.split()) < len(name.split()):
            full = name
        for form in {name, full, full.split()[-1]}:
            cur = self.full.get(form)
            if cur is None or len(cur) < len(full):
                self.full[form] = full
        if role and full not in self.role:
            self.role[full] = role
        self.mentions.append((at, full))
        return full

    def add_lazy(self, name: str, role_thunk: Callable[[], str | None], at: int) -> None:
        """Register a name whose role is worked out only if the name turns out to be a speaker."""
        full = self.add(name, None, at)
        self.pending.setdefault(full, role_thunk)

    def role_of(self, full: str) -> str | None:
        if full not in self.role and full in self.pending:
            role = self.pending.pop(full)()
            if role:
                self.role[full] = role
        return self.role.get(full)

    def resolve(self, name: str) -> str:
        return self.full.get(name) or self.full.get(name.split()[-1]) or name

    def named_in(self, start: int, end: int, text: str) -> str | None:
        """The last person named in text[start:end] who can be its subject (not "told X", "according to X"), or
        None."""
        best = None
        best_pos = -1
        for pos, full in self.mentions:
            if (
                start <= pos < end
                and pos >= best_pos
                and not text.endswith(_OBJECT_BEFORE, max(0, pos - 8), pos)
            ):
                best, best_pos = full, pos
        return best

    def last_before(self, at: int) -> str | None:
        best = None
        best_pos = -1
        for pos, full in self.mentions:
            if best_pos <= pos < at:
                best, best_pos = full, pos
        return best

    default: str | None = None  # the article's main state: for "Defence Minister X" with no state named

    def country(self, full: str, role: str | None) -> str | None:
        code = self._country(full, role)
        if code is None and self.default:
            role = role or self.role_of(full)
            if role and _GOV_ROLE.search(role) and not _academic(role) and not SUPRANATIONAL.search(role):
                return self.default
        return code

    def _country(self, full: str, role: str | None) -> str | None:
        role = role or self.role_of(full)
        if role:
            if _academic(role):
                return None
            code = self.gaz.country_of(role)
            if code:
                return code
            if SUPRANATIONAL.search(role):
                return None
        for form in (full, full.split()[-1]):
            person = self.gaz.people.get(form)
            if person is not None:
                return person.country
        return None


# Lower-case particles inside a name ("Ursula von der Leyen", "Rafael de la Cruz")
_PARTICLES = frozenset(
    ["von", "van", "der", "de", "den", "la", "le", "du", "da", "di", "ter", "ten", "bin", "al"]
)


def _is_initial(tok: str) -> bool:
    """A middle initial: "O." in "Tore O. Sandvik"."""
    return len(tok) == 2 and tok[1] == "." and tok[0].isupper()


def _is_cap(tok: str) -> bool:
    return tok[0].isupper()


def _is_role_token(tok: str, gaz: Gazetteer) -> bool:
    hit = _ROLE_TOKEN_CACHE.get(tok)
    if hit is None:
        hit = _role_token(tok, gaz)
        if len(_ROLE_TOKEN_CACHE) < 50_000:
            _ROLE_TOKEN_CACHE[tok] = hit
    return hit


def _role_token(tok: str, gaz: Gazetteer) -> bool:
    low = tok.lower().rstrip(".").removesuffix("'s").removesuffix("’s")
    if low in ROLE_WORDS:
        return True
    base = tok.rstrip(".").removesuffix("'s").removesuffix("’s")
    if base in gaz.terms or base in ORG_WORDS:
        return True
    if any(base[:n] in gaz.stems for n in gaz.stem_lengths if n <= len(base)):
        return True
    return "-" in tok and all(p.lower() in ROLE_WORDS for p in tok.split("-"))


def _is_name_token(tok: str, gaz: Gazetteer) -> bool:
    hit = _NAME_TOKEN_CACHE.get(tok)
    if hit is None:
        hit = _name_token(tok, gaz)
        if len(_NAME_TOKEN_CACHE) < 50_000:
            _NAME_TOKEN_CACHE[tok] = hit
    return hit


def _name_token(tok: str, gaz: Gazetteer) -> bool:
    if _is_initial(tok):
        return True
    if not _is_cap(tok) or tok in NOT_NAMES or _is_role_token(tok, gaz):
        return False
    return not (tok.isupper() and len(tok) > 1 and tok not in gaz.people)


# Token classifications depend only on the token and the bundled gazetteer (one per process): memoised.
_ROLE_TOKEN_CACHE: dict[str, bool] = {}
_NAME_TOKEN_CACHE: dict[str, bool] = {}


def parse_speaker(phrase: str, gaz: Gazetteer, *, trailing: bool) -> _Speaker | None:
    """Split a speaker phrase into role and name. `trailing`: the phrase ends at the cue (take its last NP)."""
    phrase = phrase.strip()
    if trailing:
        phrase = _strip_trailing_adverbials(phrase[-160:])
        # `NAME, ROLE,` apposition before the cue: keep both parts.
        head, sep, tail = phrase.rpartition(",")
        if sep and tail.strip() and (tail.strip()[0].islower() or tail.strip().split()[0] in ("The", "A")):
            inner = parse_speaker(head, gaz, trailing=True)
            if inner and inner.name and _placed(head, inner.name):
                inner = None  # "In Brussels, a European Commission spokesperson said": a place, no person
            if inner and inner.name and len(tail.split()) <= 14:
                return _Speaker(inner.name, _join_role(inner.role, tail.strip()), None)
        toks = _TOKEN.findall(phrase)
        j = len(toks)
        while j > 0:
            t = toks[j - 1]
            if t in (",", ":", ";", "(", ")"):
                break
            if t in _PARTICLES and j < len(toks) and _is_cap(toks[j]):
                j -= 1  # "Ursula von der Leyen", "von der Leyen said"
                continue
            if _is_cap(t) or t.lower() in ROLE_WORDS or t.lower() in FUNCTION_WORDS or t.lower() in PRONOUNS:
                j -= 1
                if t.lower() in PRONOUNS:
                    break
                continue
            break
        before_np = toks[:j]
        toks = toks[j:]
        while toks and toks[0].lower() in _LEAD_FUNCTION_WORDS:
            toks = toks[1:]
        if before_np and before_np[-1] == "," and toks and all(_is_name_token(t, gaz) for t in toks):
            # `ROLE, NAME,` apposition: "Moscow's envoy in Vienna, Mikhail Ulyanov, wrote"
            head = phrase[: phrase.rfind(",")]
            seg = re.split(r"[,.;:]\s", head)[-1].strip()
            first = seg.split()[0].lower() if seg.split() else ""
            if (
                len(seg.split()) <= 12
                and not first.endswith("ing")  # "Speaking to Russian state media, Sorokin claimed"
                and first not in _LEAD_PREPOSITIONS
                and any(w.lower().removesuffix("'s") in ROLE_WORDS for w in seg.split())
            ):
                return _Speaker(" ".join(toks).rstrip("."), _clean_role(seg), None)
    else:
        toks = []
        for t in _TOKEN.findall(phrase):
            if t in (",", ":", ";", "(", ")"):
                break
            toks.append(t)
            if len(toks) > 12:
                break
    if not toks:
        return None
    if not trailing and toks[0].lower() in _DESCRIPTOR_STARTS:
        first_name = next((n for n, t in enumerate(toks) if _is_name_token(t, gaz)), len(toks))
        name_ends = first_name <= len(toks) - 2 and all(_is_name_token(t, gaz) for t in toks[first_name:])
        if not name_ends and any(t in ("for", "of", "at", "to") for t in toks[:first_name]):
            cut = next(
                (n for n, t in enumerate(toks) if n and t in ("in", "on", "during", "after", "who")),
                len(toks),
            )
            desc = re.sub(r"^(?:the|a|an)\s+", "", " ".join(toks[:cut]), flags=re.IGNORECASE).rstrip(".")
            return _Speaker(None, None, desc)
    if toks[0].lower() in PRONOUNS and (len(toks) == 1 or not trailing):
        if len(toks) > 1 and _is_cap(toks[1]):
            return None
        return _Speaker(None, None, None, pronoun=True, it=toks[0].lower() == "it")
    # role words, then the name, then (not trailing) maybe more.
    i = 0
    while i < len(toks) and not _is_name_token(toks[i], gaz):
        i += 1
    k = i
    while k < len(toks) and (_is_name_token(toks[k], gaz) or toks[k] in _PARTICLES):
        k += 1
    if k - i == 1 and k < len(toks) and _is_role_token(toks[k], gaz):
        # "Progress Party lawmaker Eirik Haugen": a one-word name of a party or body, its office, then the person
        k2 = k
        while k2 < len(toks) and _is_role_token(toks[k2], gaz) and not _is_name_token(toks[k2], gaz):
            k2 += 1
        k3 = k2
        while k3 < len(toks) and _is_name_token(toks[k3], gaz):
            k3 += 1
        if k3 - k2 >= 2 and (trailing is False or k3 == len(toks)):
            i, k = k2, k3
    while i > 0 and toks[i - 1] in _PARTICLES:
        i -= 1  # "von der Leyen said": the particles open the name
    name_toks = toks[i:k]
    role_toks = toks[:i]
    if trailing and k < len(
        toks
    ):  # the name must end the phrase: "ambassador to Helsinki"-like tails are roles
        if any(t.lower() not in FUNCTION_WORDS and not _is_role_token(t, gaz) for t in toks[k:]):
            return None
        role_toks = toks
        name_toks = []
    if not trailing:
        toks = toks[: max(k, 1)] if name_toks else toks
    org_at = -1
    if not ORG_WORDS.isdisjoint(role_toks):
        org_at = max(n for n, t in enumerate(role_toks) if t in ORG_WORDS)
    if name_toks and org_at >= 0 and not any(_is_person_title(t) for t in role_toks[org_at:]):
        name_toks = []  # "International Campaign to Ban Landmines": an organisation, kept whole below
    if name_toks and not all(t in gaz.terms for t in name_toks):
        name = " ".join(name_toks).rstrip(".")
        role = " ".join(role_toks).strip() or None
        if role and role.lower() in ("the", "a", "an"):
            role = None
        return _Speaker(name, _clean_role(role), None)
    words = [t for t in toks if t not in (",", ":", ";")]
    if (
        not trailing
        and len(words) >= 2
        and len(words) <= 6
        and words[0].lower() in _PLAIN_DETERMINERS
        and all(w.islower() for w in words)
    ):
        return _Speaker(None, None, " ".join(words).removeprefix("a ").removeprefix("an ").rstrip("."))
    if not words or not any(w.lower() in ROLE_WORDS or w in gaz.terms or _is_cap(w) for w in words):
        return None
    if len(words) > 9:
        return None
    desc = " ".join(words)
    desc = re.sub(r"^(?:the|a|an)\s+", "", desc, flags=re.IGNORECASE)
    desc = desc.replace(" 's", "'s").replace(" ’s", "’s").rstrip(".")
    return _Speaker(None, None, desc)


# "one fisherman", "a passenger", "two residents": a speaker described, not named (kept as the descriptor)
_PLAIN_DETERMINERS = frozenset(
    ["one", "a", "an", "another", "two", "three", "several", "some", "many", "local"]
)


_LEAD_PREPOSITIONS = frozenset(
    ["in", "on", "at", "after", "before", "during", "asked", "when", "while", "as", "for"]
)


def _placed(head: str, name: str) -> bool:
    """Whether `name`, the end of `head`, follows a preposition ("In Brussels")."""
    pre = head[: head.rfind(name)].split()
    return bool(pre) and pre[-1].lower() in _LEAD_PREPOSITIONS


def _is_person_title(tok: str) -> bool:
    """A role word that names a person's post ("MP", "director"), not a body ("Alliance", "Guard")."""
    return (
        tok.lower() in ROLE_WORDS
        and tok not in ORG_WORDS
        and (tok[0].islower() or tok.isupper() or len(tok) > 3)
    )


_LEAD_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _clean_role(role: str | None) -> str | None:
    if not role:
        return None
    role = _LEAD_ARTICLE.sub("", role).strip(" ,")
    return role or None


def _join_role(a: str | None, b: str | None) -> str | None:
    parts = [p for p in (_clean_role(a), _clean_role(b)) if p]
    return ", ".join(parts) or None


_APPOSITION = re.compile(
    r"^\s*,\s*((?:the |a |an )?[a-z][^,.;:\"“”«»]{2,120}?)(?=\s*(?:,|\.|;|$| in a | in an | on | at a ))"
)
_APPOSITION_START = re.compile(
    r"^(?:who (?:leads|heads|commands|runs|chairs) |the |a |an )?(?:\w+ ){0,4}?(?:"
    + "|".join(sorted(w for w in ROLE_WORDS if w.isalpha()))
    + r")\b",
    re.I,
)


def _after_name_role(rest: str) -> str | None:
    """`, spokeswoman for the Russian Foreign Ministry, in a briefing` -> the role apposition."""
    m = _APPOSITION.match(rest)
    if m and _APPOSITION_START.match(m.group(1)):
        return m.group(1).strip()
    return None


def extract_statements(
    text: str,
    quotes: list[Quoted],
    sentences: list[tuple[int, int]],
    lang: str | None = None,
    *,
    main_country: str | None = None,
    low: str | None = None,
    safe: bool | None = None,
) -> list[Statement]:
    """Statements (quotes with attribution) from `text`, given its quoted spans and sentence spans.

    `main_country` is the state an unplaced official ("Defence Minister X", no state named) is taken to serve.
    `low` is `text` lower-cased with offsets kept (text.lower), when the caller has it already; `safe` is
    text.fold_safe(text), likewise.
    """
    if not quotes:
        return []
    gaz = gazetteer()
    if fold_safe(text) if safe is None else safe:
        cues = _Cues(_cue_low(lang), lower(text) if low is None else low)
    else:
        cues = _Cues(_cue_re(lang), None)
    people = _People(gaz)
    people.default = main_country
    collected = False  # the names in the text are registered on the first attribution (most quotes have none)
    out: list[Statement] = []
    prev: tuple[Statement, int] | None = None  # last statement and the paragraph it ended in
    si = 0
    for qi, q in enumerate(quotes):
        inner_start, inner_end = q.open + 1, q.close
        raw = text[inner_start:inner_end]
        lstrip = len(raw) - len(raw.lstrip())
        quote = raw.strip().rstrip(",;:").rstrip()
        if quote.endswith(("—", "–")):
            quote = quote.rstrip("—– ").rstrip(",")
        if len(quote.split()) < MIN_WORDS:
            continue
        while si < len(sentences) - 1 and sentences[si][1] <= q.open:
            si += 1
        s_start, s_end = sentences[si] if sentences else (0, len(text))
        para_start = text.rfind("\n", 0, q.open) + 1
        if _title_context(text[max(s_start, q.open - 40) : q.open]):
            continue
        if _LABEL_BEFORE_FAST.search(text, max(s_start, q.open - 8), q.open) and _LABEL_AFTER.match(
            text, min(q.close + 1, len(text))
        ):
            continue  # the "If crisis or war comes" brochure, the "shadow fleet" tankers: a name, not speech
        words = quote.split()
        if len(words) <= 7 and sum(w[0].isupper() for w in words) >= len(words) - 1 and len(words) > 2:
            before_text = text[max(0, q.open - 3) : q.open]
            if not before_text.strip().endswith(":"):
                continue  # Title Case: a title of a work or a name, not speech
        next_open = quotes[qi + 1].open if qi + 1 < len(quotes) else len(text)
        prev_close = quotes[qi - 1].close + 1 if qi else 0
        after = text[min(q.close + 1, len(text)) : min(s_end, next_open)]
        before = text[max(s_start, prev_close, para_start) : q.open]
        sp, cue = _attribute_after(after, raw, gaz, cues, min(q.close + 1, len(text)))
        if sp is None:
            sp, cue = _attribute_before(before, gaz, cues, max(s_start, prev_close, para_start))
        speaker = role = country = None
        if sp is not None:
            if not collected:
                _collect_people(text, quotes, gaz, people)
                collected = True
            speaker, role, country = _resolve(sp, people, gaz, q.open, text)
        else:
            # no cue: a person named earlier in the quote's own sentence said it ("Foreign Ministry spokeswoman
            # Maria Zakharova dismissed the statement as "..."), else the speaker of the paragraph's last quote
            lead = max(s_start, para_start, prev_close)
            named = None
            if _may_name_person(text, lead, q.open, gaz):  # most quotes with no cue follow no person's name
                if not collected:
                    _collect_people(text, quotes, gaz, people)
                    collected = True
                named = people.named_in(lead, q.open, text)
            if named is not None and (prev is None or prev[0].speaker != named):
                speaker = named
                role = people.role_of(named)
                country = _person_country(named, role, people, gaz, q.open, text)
            elif prev is not None and prev[1] >= para_start - 1 and prev[0].speaker:
                speaker, role, country, cue = (
                    prev[0].speaker,
                    prev[0].role,
                    prev[0].speaker_country,
                    prev[0].cue,
                )
            elif len(words) < UNATTRIBUTED_MIN_WORDS:
                continue
        start = inner_start + lstrip
        st = Statement(speaker, role, country, quote, cue, start, start + len(quote))
        out.append(st)
        if speaker:
            people.mentions.append((q.close, speaker))
        para_end = text.find("\n", q.close)
        prev = (st, para_end if para_end >= 0 else len(text))
        if prev[0].speaker is None:
            prev = None
    return out


class _Cues:
    """The attribution cues of one article: the IGNORECASE pattern on the text, or its lower-case twin on `low`."""

    __slots__ = ("low", "rx")

    def __init__(self, rx: re.Pattern[str], low: str | None) -> None:
        self.rx = rx
        self.low = low

    def search(self, piece: str, at: int, endpos: int) -> re.Match[str] | None:
        """The first cue in piece[:endpos] (`piece` is text[at:at + len(piece)]); use its span, not its text."""
        return self.rx.search(piece if self.low is None else self.low[at : at + len(piece)], 0, endpos)

    def finditer(self, piece: str, at: int) -> Iterator[re.Match[str]]:
        """Every cue in `piece` (text[at:at + len(piece)]), in order; use their spans, not their text."""
        return self.rx.finditer(piece if self.low is None else self.low[at : at + len(piece)])


def _attribute_after(after: str, raw: str, gaz: Gazetteer, cues: _Cues, at: int) -> tuple:
    """`after` is text[at:...]."""
    lead = _LEAD_IN.match(after)
    body = after[lead.end() :] if lead else after
    ends_open = raw.rstrip()[-1:] in (",", "?", "!", "—", "–", "-") if raw.strip() else False
    if not (ends_open or (lead and lead.group().strip())) and not body[:1].islower():
        return None, None
    m = cues.search(body, at + len(after) - len(body), 160)
    if m is None:
        return None, None
    c_start, c_end = m.span()
    between = body[:c_start]
    if between.strip(" ,—–-"):
        if len(between.split()) > 14:
            return None, None
        appos = _ROLE_COMMA_NAME.match(between) if "," in between.rstrip(" ,") else None
        if appos is not None and all(_is_name_token(t, gaz) for t in appos.group(2).split()):
            role = appos.group(1)
            if any(w.lower().removesuffix("'s").removesuffix("’s") in ROLE_WORDS for w in role.split()):
                # "Finland's ambassador to the UN, Pekka Lehtonen, told reporters"
                return _Speaker(appos.group(2), _clean_role(role), None), _norm_cue(body[c_start:c_end])
        sp = parse_speaker(between, gaz, trailing=False)
        if sp is not None and sp.name:
            sp.role = _join_role(sp.role, _after_name_role(between[between.find(sp.name) + len(sp.name) :]))
        return sp, _norm_cue(body[c_start:c_end])
    rest = body[c_end:]
    sp = parse_speaker(rest, gaz, trailing=False)
    if sp is not None and sp.name:
        tail = rest[rest.find(sp.name) + len(sp.name) :]
        sp.role = _join_role(sp.role, _after_name_role(tail))
    return sp, _norm_cue(body[c_start:c_end])


def _attribute_before(before: str, gaz: Gazetteer, cues: _Cues, at: int) -> tuple:
    """`before` is text[at:...]."""
    for m in cues.finditer(before, at):
        c_start, c_end = m.span()
        cue = _norm_cue(before[c_start:c_end])
        if cue.lower() in (
            "according to",
            "mukaan",
            "enligt",
            "ifølge",
            "pasak",
            "sõnul",
            "według",
            "по словам",
        ):
            sp = parse_speaker(before[c_end:], gaz, trailing=False)
            if sp is None and cue.lower() in ("mukaan", "sõnul"):
                sp = parse_speaker(before[:c_start], gaz, trailing=True)
        else:
            sp = parse_speaker(before[:c_start], gaz, trailing=True)
            if sp is None and before[c_end:].lstrip()[:1].isupper() and cue.lower() not in _LISTENER_CUES:
                sp = parse_speaker(before[c_end:], gaz, trailing=False)
        if sp is not None:
            return sp, cue
    if before.rstrip().endswith(":"):
        sp = parse_speaker(before.rstrip()[:-1], gaz, trailing=False)
        if sp is not None and (sp.name or sp.pronoun):
            return sp, None
    return None, None


# cues whose object is who was spoken to ("told Yle"): the phrase after them is never the speaker
_LISTENER_CUES = frozenset(["told", "tells", "tell"])

_MULTIWORD_CUES = frozenset(
    {"according to", "pointed out", "in a statement", "по словам", "la til", "quoted as saying"}
)


def _norm_cue(cue: str) -> str:
    """The cue verb: "told reporters" -> "told"; real multi-word cues ("according to") stay whole."""
    words = cue.split()
    joined = " ".join(words)
    return joined if joined.lower() in _MULTIWORD_CUES else words[0]


def _resolve(sp: _Speaker, people: _People, gaz: Gazetteer, at: int, text: str = "") -> tuple:
    if sp.pronoun:
        if sp.it and text:
            body = _org_back(None, text, at, gaz)
            if body is not None:
                return body[0], None, body[1]
        full = people.last_before(at)
        if text:
            # a paragraph that opens on an unnamed speaker ("A local farmer said he had heard ...") and names nobody
            # before the quote: "he" is that speaker, not the last person named before the paragraph
            para = text.rfind("\n", 0, at) + 1
            opener = _DESCRIBED_SUBJECT.match(text, para, at)
            if opener is not None and not any(para <= pos < at for pos, _ in people.mentions):
                return _resolve(_Speaker(None, None, opener.group(1)), people, gaz, at)
        if full is None:
            return None, None, None
        role = people.role_of(full)
        return full, role, _person_country(full, role, people, gaz, at, text)
    if sp.name:
        full = people.add(sp.name, sp.role, at)
        role = sp.role or people.role_of(full)
        return full, role, _person_country(full, role, people, gaz, at, text)
    desc = sp.descriptor
    if desc is None:
        return None, None, None
    if text and desc.isalpha() and desc.islower():
        # "the official said": the speaker introduced before ("A NATO official said ..."), in its fullest form
        found = False
        for m in _DESCRIBED.finditer(text, max(0, at - 600), at):
            head = re.split(r"\s+(?:for|of|at|from|with)\s+", m.group(1), maxsplit=1)[0].split()[-1]
            if head == desc:
                desc = m.group(1)
                found = True
        if not found and desc in ROLE_WORDS:
            # "the minister said": the last person named before with that office ("Defence Minister X")
            for _, full in reversed([pm for pm in people.mentions if pm[0] < at]):
                role = people.role_of(full)
                if role and desc in role.lower().split():
                    return full, role, _person_country(full, role, people, gaz, at, text)
    if _academic(desc):
        return desc, None, None
    code = gaz.country_of(desc)
    if code is None and text and desc.islower() and _ORG_HEAD.search(desc):
        # "the embassy said" after "the Russian embassy in Helsinki warned ...": that embassy
        body = _org_back(desc, text, at, gaz)
        if body is not None:
            return body[0], None, body[1]

    if code is None and SUPRANATIONAL.search(desc):
        return desc, None, None
    if code is None and people.default and _GOV_ROLE.search(desc):
        code = people.default  # "a Coast Guard spokesman" in a story from that state
    return desc, None, code


def _person_country(
    full: str, role: str | None, people: _People, gaz: Gazetteer, at: int, text: str
) -> str | None:
    if text and role and _ORG_HEAD.search(role) and people._country(full, role) is None:
        # "embassy spokesman Andrei Kolesov" after "The Russian embassy in Tallinn rejected ...": that embassy's
        # state, not the story's home
        body = _org_back(role, text, at, gaz)
        if body is not None:
            return body[1]
    if text and people._country(full, role) is None:
        code = _apposition_state(full, people, gaz, text)
        if code is not None:
            return code
    return people.country(full, role)


def _apposition_state(full: str, people: _People, gaz: Gazetteer, text: str) -> str | None:
    """The state of an appositive that introduces the person: "His Finnish counterpart from the Jaeger Brigade,
    Lieutenant Colonel Juha-Matti Kärkkäinen" (the role after the comma names none)."""
    first = next((pos for pos, f in people.mentions if f == full), None)
    if first is None:
        return None
    start = max(text.rfind(". ", 0, first), text.rfind("\n", 0, first), first - 160) + 1
    head, sep, _ = text[start:first].rpartition(", ")
    if not sep or len(head.split()) > 12 or '"' in head or "“" in head:
        return None
    head = head.split(", ")[-1]
    if not _COUNTERPART.search(head):
        return None
    return gaz.country_of(head)


# An appositive that names a person by office: "his Finnish counterpart", "Estonia's top diplomat"
_COUNTERPART = re.compile(
    r"\b(?:counterpart|colleague|envoy|diplomat|minister|commander|officer|chief)\b", re.I
)


_ORG_HEAD = re.compile(r"\b(?:" + "|".join(cue_data()["roles"]["org_heads"]) + r")\b", re.IGNORECASE)
_BODY_PEOPLE = frozenset(cue_data()["roles"]["body_people"])
# A state right before a body's head word: "The Russian ", "Poland's foreign ", "Belarus's State Border "
_STATE_GAP = re.compile(r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}$")
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w-]+")


def _org_back(phrase: str | None, text: str, at: int, gaz: Gazetteer) -> tuple[str, str] | None:
    """The last state body named with its state in the 600 characters before `at` whose head word `phrase` names
    (any body when `phrase` is None), as (the body as written, its state); None when there is none."""
    if phrase is None:
        heads = None
    else:
        # the head words the phrase ends on or that a role word follows ("embassy spokesman"), not a modifier
        # ("head of the board's border guard department")
        heads = set()
        for m in _ORG_HEAD.finditer(phrase):
            nxt = phrase[m.end() :].split(maxsplit=1)
            if not nxt or nxt[0].lower() in _BODY_PEOPLE:
                heads.add(m.group().lower())
        if not heads:
            return None
    lo = max(0, at - 600)
    for m in reversed(list(_ORG_HEAD.finditer(text, lo, at))):
        if heads is not None and m.group().lower() not in heads:
            continue
        a = m.start()
        w0 = max(lo, a - 45)
        cut = max(
            text.rfind(".", w0, a), text.rfind("\n", w0, a), text.rfind(",", w0, a), text.rfind('"', w0, a)
        )
        w0 = max(w0, cut + 1)
        found = None
        for g in gaz.find(text[w0:a]):
            if g.code and g.kind != "person" and _STATE_GAP.fullmatch(text, w0 + g.end, a):
                found = g
        if found is not None:
            end = m.end()
            tail = _IN_PLACE.match(text, end)
            if tail is not None:
                end = tail.end()
            return text[w0 + found.start : end], found.code
    return None


# `ROLE, NAME,` before the cue after a quote
_ROLE_COMMA_NAME = re.compile(
    r"^\s*([^,\"“”«»]{3,80}?),\s+((?:[^\W\d_][\w’'.-]*\s+){1,3}[^\W\d_][\w’'-]*),?\s*$"
)
# An unnamed speaker introduced with an indefinite article: "A NATO official said", "a local farmer told"
_DESCRIBED = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+((?:[\w-]+\s+){0,3}?[a-z][\w-]*"
    r"(?:\s+(?:for|of|at|from|with)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,5})?)"
    r"\s+(?:said|says|told|tells|added|wrote)\b"
)
# ... opening a paragraph, maybe after a scene-setting phrase ("On the quay in Rønne, a local fisherman said"), maybe
# with the body it speaks for ("A spokeswoman for the Cluster Munition Coalition said")
_DESCRIBED_SUBJECT = re.compile(
    r"\s*(?:[A-Z][^,.\n\"“”«»]{0,50},\s+)?(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+((?:[\w-]+\s+){0,3}?[a-z][\w-]*"
    r"(?:\s+(?:for|of|at|from|with)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,5})?)"
    r"\s+(?:said|says|told|tells|added|wrote)\b"
)
_CAP = "[A-ZÀ-ÞĀ-ŽА-ЯЁ]"
# Up to two particles after a word of a name ("Ursula von der Leyen")
_RUN_PARTICLES = r"(?:[ \t]++(?:von|van|der|de|den|la|du|da|al)\b){0,2}"
_NAME_WORD = rf"(?:{_CAP}\.|{_CAP}[\w’'-]*+){_RUN_PARTICLES}[ \t]++"
# A run of 2-7 capitalised words. It opens with the capital's class and checks the word start after it: a pattern
# opening with a look-behind gets no first-character prefilter in `re` and is tried at every position. The runs of
# word characters and of blanks are possessive (`*+`, `++`): what follows each can never start inside it, so giving
# characters back could not make a match, and `re` would try that at every capitalised word not followed by another.
_NAME_RUN = re.compile(
    rf"{_CAP}(?<![\w’'].)(?:\.|[\w’'-]*+){_RUN_PARTICLES}[ \t]++"
    rf"(?:{_NAME_WORD}){{0,5}}{_CAP}[\w’'-]*+"
)


def _may_name_person(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether text[start:end] holds a run of capitalised words that `_collect_people` would take for a person (a
    cheap test before collecting the whole article's names: "the Polish Navy" is none)."""
    for m in _NAME_RUN.finditer(text, start, end):
        toks = m.group().split()
        i = next((n for n, t in enumerate(toks) if _is_name_token(t, gaz)), None)
        if i is not None and ORG_WORDS.isdisjoint(toks[i:]):
            return True
    return False


def _collect_people(text: str, quotes: list[Quoted], gaz: Gazetteer, people: _People) -> None:
    """Register person names (with any preceding role) mentioned outside quotes, for pronoun/surname resolution."""
    spans = [(q.open, q.close) for q in quotes]
    qi = 0
    for m in _NAME_RUN.finditer(text):
        while qi < len(spans) and spans[qi][1] < m.start():
            qi += 1
        if qi < len(spans) and spans[qi][0] <= m.start() <= spans[qi][1]:
            continue
        toks = m.group().split()
        is_name = list(
            map(_NAME_TOKEN_CACHE.get, toks)
        )  # memoised (the common case: no Python call per token)
        if None in is_name:
            is_name = [_is_name_token(t, gaz) for t in toks]
        n = len(toks)
        if n > 2 and not _PARTICLES.isdisjoint(toks):  # "Ursula von der Leyen": particles inside a name
            for x in range(n - 2, 0, -1):
                if toks[x] in _PARTICLES and is_name[x + 1] and (is_name[x - 1] or toks[x - 1] in _PARTICLES):
                    is_name[x] = True
        i = 0
        while i < n and not is_name[i]:
            i += 1
        k = i
        while k < n and is_name[k]:
            k += 1
        if n - k >= 2 and k - i == 1 and is_name[-1] and is_name[-2]:
            # "Progress Party MP Hanne Dyveke Søttar": a one-word name part of an office, the person ends the run
            k = n
            i = k
            while i > 0 and is_name[i - 1]:
                i -= 1
        name_toks = [t if _is_initial(t) else t.rstrip(".’'") for t in toks[i:k]]
        if not name_toks or not ORG_WORDS.isdisjoint(toks[i:]):  # "Peace Research Institute" is no person
            continue
        name = " ".join(name_toks)
        if name in gaz.terms:
            continue
        if len(name_toks) == 1 and name not in gaz.people and name not in people.full:
            continue
        if i:
            role = _clean_role(" ".join(toks[:i]))
            if text[m.end() : m.end() + 1] == "," and k == n:
                # "Commander Jason Whitfield, who leads the US Navy detachment at Keflavík, said": both parts
                role = _join_role(role, _after_name_role(text[m.end() : m.end() + 160]))
            people.add(name, role, m.start())
        else:
            people.add_lazy(name, _role_finder(text, m.start(), m.end(), name, gaz), m.start())


# The end of a sentence in the window before a name: a line break, or a full stop after a word (not "Capt.", "Lt.")
_SENTENCE_END = re.compile(
    r"\n|(?:(?<=[a-z]{3})(?<!Capt)(?<!Brig)(?<!Cmdr)(?<!Prof)|(?<=\d))[.!?][\"”’]?[ \t]+"
)


def _role_finder(text: str, start: int, end: int, name: str, gaz: Gazetteer) -> Callable[[], str | None]:
    def find() -> str | None:
        a = max(0, start - 80)
        for cut in _SENTENCE_END.finditer(text, a, start):  # the role is in the name's own sentence
            a = cut.end()
        lead = parse_speaker(text[a : start + len(name)], gaz, trailing=True)
        role = lead.role if lead is not None and lead.name == name else None
        return _clean_role(role or _after_name_role(text[end : end + 160]))

    return find
