"""Treaty signals: a state's move on a named treaty (withdrawal, vote, deposit, accession ...).

Per sentence: a treaty named (or "the treaty" after one was named), an action word from data/treaties.toml, and the
states that take it: country mentions in the action's clause before the action word ("Finland, Lithuania ... are
abandoning"), or right after it with "by"/"of". Mentions after other prepositions ("threats from Russia") are not
actors. Negated, hypothetical, future-effect and dated-background moves are no signal.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, reduce
from importlib.resources import files
from operator import or_

from feeds.analysis.gazetteer import Mention
from feeds.analysis.keys import Hits, has_any, key_hits
from feeds.analysis.text import FastRe, fold_safe, literal_prefixes, lower
from feeds.analysis.text import lower_re as _lower_re

BACKGROUND_BEFORE_YEAR = 2025  # years before it are history (articles from 2025 on are news here)
# Every treaty name pattern in data/treaties.toml can only match text that contains one of these lower-case strings
# (`prefilter` there); an article without any skips the treaty regex. Keep the list in step when adding names.
# The NATO membership phrases need a NATO word and a joining word (_MEMBER_KEYS x _JOIN_KEYS).
_MEMBER_KEYS = ("nato", "alliance", "membership", "to join", "for membership")
_JOIN_KEYS = (
    "join ",
    "joins",
    "joined",
    "joining",
    " enter",
    "accession",
    "membership",
    "admission",
    "entry to",
    "entry in",
    "became",
    "ratif",
    "'s newest",
    "’s newest",
    "'s 3",
    "’s 3",
)
NATO_ACTIONS = frozenset({"accession", "announce_withdrawal", "ratification", "parliament_vote"})
ACTOR_KINDS = frozenset({"name", "stem", "capital", "institution", "person", "adjective"})


@dataclass(frozen=True)
class TreatyEvent:
    """One state's move on one treaty, as the text reports it."""

    country: str
    treaty: str
    action: str
    date: str | None


@dataclass(frozen=True)
class _Rules:
    treaty_re: re.Pattern[str]
    group_to_treaty: dict[str, str]
    anaphora_re: re.Pattern[str]
    membership_re: re.Pattern[str]
    actions: tuple[tuple[str, re.Pattern[str]], ...]
    keys: tuple[str, ...]  # a treaty name can only occur in text that contains one of these
    any_action_re: re.Pattern[str]  # matches where any action does: a sentence without a match has no move
    # The same patterns compiled for speed (text.FastRe: same matches).
    treaty_fast: FastRe
    anaphora_fast: FastRe
    membership_fast: FastRe
    action_fast: tuple[FastRe, ...]
    # Every action pattern starts at a word start (`(?<!\w)`) with a literal (text.literal_prefixes). Per action: the
    # literals that are word beginnings ("withdraw": the word where a match starts begins with one), and the
    # literals that run past their first word ("is no longer ": that word is "is" and the sentence contains the
    # literal). `always`: a bit mask of the actions without such literals.
    action_words: tuple[tuple[str, ...], ...]
    action_phrases: tuple[tuple[str, ...], ...]
    always: int
    # treaty_re without its named groups (`re` enters each group at every candidate; a flat alternation of names
    # that open with a literal is rejected a character in), and per treaty, in order, its names alone: the treaty of
    # a match is the first whose names match there (what the group of treaty_re would say).
    treaty_flat: FastRe
    treaty_each: tuple[tuple[str, re.Pattern[str]], ...]
    phrase_words: dict[str, tuple[tuple[int, str], ...]]  # action_phrases by their first word (_phrase_words)


@cache
def rules() -> _Rules:
    """data/treaties.toml compiled once."""
    data = tomllib.loads(files("feeds.analysis").joinpath("data/treaties.toml").read_text(encoding="utf-8"))
    alts = []
    group_to_treaty = {}
    each = []
    for i, (key, table) in enumerate(data["treaties"].items()):
        group = f"t{i}"
        group_to_treaty[group] = key
        names = "|".join(f"(?:{p})" for p in table["names"])
        alts.append(f"(?P<{group}>" + names + ")")
        each.append((key, _lower_re(r"(?<![\w-])(?:" + names + r")(?![\w-])")))
    flat = _lower_re(
        r"(?<![\w-])(?:"
        + "|".join(f"(?:{p})" for t in data["treaties"].values() for p in t["names"])
        + r")(?![\w-])"
    )
    treaty_re = _lower_re(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
    anaphora_re = _lower_re(r"\b(?:" + "|".join(data["anaphora"]) + r")\b")
    membership_re = _lower_re(
        r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in data["treaties"]["nato"].get("membership", [])) + ")"
    )
    actions = tuple(
        (a["name"], _lower_re(r"(?<!\w)(?:" + "|".join(a["patterns"]) + ")")) for a in data["actions"]
    )
    any_action_re = _lower_re(
        r"(?<!\w)(?:" + "|".join(p for a in data["actions"] for p in a["patterns"]) + ")"
    )
    action_words = []
    action_phrases = []
    always = 0
    for i, (_, rx) in enumerate(actions):
        keys = literal_prefixes(rx.pattern) or ()
        words = [_WORD.match(k) for k in keys]
        if not keys or not all(words) or not rx.pattern.startswith(r"(?<!\w)"):
            always |= 1 << i
            action_words.append(())
            action_phrases.append(())
        else:
            action_words.append(tuple(sorted(k for k in keys if _WORD.fullmatch(k))))
            action_phrases.append(tuple(sorted(k for k in keys if not _WORD.fullmatch(k))))
    return _Rules(
        treaty_re,
        group_to_treaty,
        anaphora_re,
        membership_re,
        actions,
        tuple(data["prefilter"]),
        any_action_re,
        FastRe(treaty_re.pattern),
        FastRe(anaphora_re.pattern),
        FastRe(membership_re.pattern),
        tuple(FastRe(rx.pattern) for _, rx in actions),
        tuple(action_words),
        tuple(action_phrases),
        always,
        FastRe(flat.pattern),
        tuple(each),
        _phrase_words(action_phrases),
    )


_WORD = re.compile(r"\w+")
# lower-case word -> bit mask of the actions whose match may start with it (memo of _word_actions)
_WORD_ACTIONS: dict[str, int] = {}


def _phrase_words(action_phrases: list[tuple[str, ...]]) -> dict[str, tuple[tuple[int, str], ...]]:
    """First word -> (bit, literal) pairs for the literals that start with this very word and go on: "is" -> the
    action of "is no longer "."""
    out: dict[str, list[tuple[int, str]]] = {}
    for i, longer in enumerate(action_phrases):
        for k in longer:
            out.setdefault(_WORD.match(k).group(), []).append((1 << i, k))  # type: ignore[union-attr]
    return {w: tuple(v) for w, v in out.items()}


def _word_actions(w: str, r: _Rules) -> int:
    bits = 0
    for i, starts in enumerate(r.action_words):
        if starts and w.startswith(starts):
            bits |= 1 << i
    if len(_WORD_ACTIONS) < 50_000:
        _WORD_ACTIONS[w] = bits
    return bits


def _sentence_actions(low_sent: str, r: _Rules) -> int:
    """Bit mask of the actions that may match in the sentence (a match starts at a word start with its literal)."""
    words = _WORD.findall(low_sent)
    bits = list(map(_WORD_ACTIONS.get, words))  # the loop over the words runs in C
    if None in bits:
        bits = [_WORD_ACTIONS[w] if w in _WORD_ACTIONS else _word_actions(w, r) for w in words]
    mask = reduce(or_, bits, r.always)  # type: ignore[arg-type]
    phrases = r.phrase_words
    if phrases and not phrases.keys().isdisjoint(words):
        for w in phrases.keys() & set(words):
            for bit, phrase in phrases[w]:
                if not mask & bit and phrase in low_sent:
                    mask |= bit
    return mask


_BARE_WITHDRAWAL = re.compile(
    r"\b(?:their|its) (?:own )?(?:(?:instruments?|notices?|notifications?) of )?(?:withdrawal|exit|departure)\b|"
    r"\bwithdr[ae]w\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"(?:[;:]|,\s*(?:which|who|whose|while|but|although|though|as|since|because|where|when)\b|"
    r"\b(?:that|after|before|because|since|although|though|unless|if|whether|where|when|while|whereas)\b)",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|no plans?|won't|refus\w+|reject\w*|ruled out|rule out|against|without|no intention|"
    r"consider\w*|mull\w*|weigh\w*|debat\w*|discuss\w*|could|might|(?-i:may)|should|urg\w+|call\w* (?:on|for)|"
    r"review\w*|whether|propos\w+ (?:to )?(?:review|debate)|if|ask\w* (?:the government )?to|demand\w*|"
    r"pressure|pressing|push\w* for|opposed|oppose\w*|critici[sz]\w*|condemn\w*|no longer consider|recommend\w*|"
    # a step still to come ("Finland is expected to become NATO's 31st member ... once it deposits")
    r"(?:is|are|was|were)\s+(?:widely\s+|now\s+|also\s+|still\s+)?(?:expected|set|due|poised|likely)\s+to|"
    # a step still to be taken ("the Verkhovna Rada must still pass a law", "has yet to vote")
    r"must\s+still|must\s+first|(?:has|have)\s+yet\s+to|still\s+(?:has|have|needs?)\s+to|"
    r"inga|inte|ikke|ikkje|ei|eivät|не|nie|ne|nav|ära|pole)\b",
    re.IGNORECASE,
)
_FUTURE_EFFECT = re.compile(
    r"\b(?:will|would|shall|is set to|are set to|is due to|are due to|is expected to|are expected to|"
    r"would only|cannot|can't|can only|only after|until)\b[^.;]{0,40}(?:take effect|come into force|enter into force|"
    r"become effective|formally (?:leave|exit)|cease)",
    re.IGNORECASE,
)
# Lower-case twins of the IGNORECASE patterns above, for lower-cased text (text.lower) where text.fold_safe holds:
# `re` tries every alternative of an IGNORECASE pattern at every word start, the twins skip ahead (text.FastRe).
# _NEGATION's case-sensitive "may" (not the month) is looked for on the original text.
_NEGATION_LOW = FastRe(_lower_re(_NEGATION.pattern.replace("|(?-i:may)", "", 1)).pattern)
_MAY = FastRe(r"\bmay\b")
_BARE_LOW = FastRe(_lower_re(_BARE_WITHDRAWAL.pattern).pattern)
# (not a year that names a treaty: "withdraw from the 2008 treaty")
_YEAR = re.compile(
    r"\b(?:in|since|from|back in|as of|by)\s+(?:\w+\s+){0,2}((?:19|20)\d\d)\b"
    r"(?![\s-]+(?:\w+\s+)?(?:treaty|convention|pact|agreement|accord|deal)\b)"
)
_BEFORE_PREP = re.compile(
    r"\b(?:from|against|with|near|toward|towards|than|like|unlike|on|over|about|into|at|for)\s*$", re.I
)
_AFTER_BY = re.compile(r"^\s*(?:the\s+)?(?:by|of)\s*$", re.IGNORECASE)

_UNSET = object()
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_ALT})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")


def find_date(text: str) -> str | None:
    """The first full calendar date (day, month, year) stated in `text`, as ISO 8601."""
    best: tuple[int, str] | None = None
    for rx, order in ((_DATE_DMY, "dmy"), (_DATE_MDY, "mdy"), (_DATE_ISO, "ymd")):
        m = rx.search(text)
        if not m:
            continue
        if order == "dmy":
            d, mo, y = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
        elif order == "mdy":
            mo, d, y = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        else:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= d <= 31 and 1 <= mo <= 12 and (best is None or m.start() < best[0]):
            best = (m.start(), f"{y:04d}-{mo:02d}-{d:02d}")
    return best[1] if best else None


def extract_treaty_events(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    low: str | None = None,
    safe: bool | None = None,
    hits: Hits | None = None,
) -> list[TreatyEvent]:
    """Treaty signals in `text`, one per (country, treaty, action), in order of first report.

    `low` is `text.lower()` with offsets kept (text.lower), when the caller has it already; `safe` is
    text.fold_safe(text), likewise; `hits` is `keys.key_hits(low)`.
    """
    r = rules()
    out: dict[tuple[str, str, str], TreatyEvent] = {}
    low = lower(text) if low is None else low
    hits = key_hits(low) if hits is None else hits
    named_at = [
        (at, _treaty_at(low, at, end, b, r))
        for a, b in _key_windows(len(low), hits, r.keys, 120, 160)
        for at, end in r.treaty_flat.spans(low, a, b)
    ]
    member_at = []
    if has_any(hits, _MEMBER_KEYS) and has_any(hits, _JOIN_KEYS):
        member_at = [(at, "nato") for at, _ in r.membership_fast.spans(low)]
    if not named_at and not member_at:
        return []
    single = named_at[0][1] if len({t for _, t in named_at}) == 1 else None
    if safe is None:
        safe = fold_safe(text)  # the IGNORECASE patterns may run as lower-case twins on `low`
    last_treaty: str | None = None
    ni = ki = mi = 0
    n_mentions = len(mentions)
    for s_start, s_end in sentences:
        named = []
        while ni < len(named_at) and named_at[ni][0] < s_end:
            if named_at[ni][0] >= s_start:
                named.append((named_at[ni][0] - s_start, named_at[ni][1]))
            ni += 1
        member = []
        while ki < len(member_at) and member_at[ki][0] < s_end:
            if member_at[ki][0] >= s_start:
                member.append((member_at[ki][0] - s_start, "nato"))
            ki += 1
        found = named + member
        previous = last_treaty  # the treaty "the treaty" refers back to
        if named:
            last_treaty = named[-1][1]
        if not found and previous is None:
            continue  # no treaty here, and none to refer back to
        # the states named in the sentence that can act (checked before the treaty anaphora: most sentences have none)
        while mi < n_mentions and mentions[mi].start < s_start:
            mi += 1
        local = []
        j = mi
        while j < n_mentions and mentions[j].start < s_end:
            if mentions[j].code and mentions[j].kind in ACTOR_KINDS:
                local.append(mentions[j])
            j += 1
        if not local:
            continue
        sent = text[s_start:s_end]
        low_sent = low[s_start:s_end]
        if not found:
            found = [(at - s_start, previous) for at, _ in r.anaphora_fast.spans(low, s_start, s_end)]
            if (
                not found
                and single is not None
                and (_BARE_LOW.search(low_sent) if safe else _BARE_WITHDRAWAL.search(sent))
            ):
                found = [(0, single)]
            if not found:
                continue
        possible = _sentence_actions(low_sent, r)
        if not possible:
            continue  # no action can match here
        matches = _Matches(low_sent, r, possible, safe)
        date: str | object | None = _UNSET  # the sentence's date, found once when a move is recorded
        for t_pos, treaty in found:
            # the first action near the treaty that a state takes (an action with no state named in its subordinate
            # clause, "after the three governments notified the UN", gives way to the next: "formally ceased to be
            # parties")
            action = ""
            codes: list[str] = []
            for name, a_start, a_end in _actions_near(
                sent,
                matches,
                t_pos,
                treaty,
                r,
                member_only=(treaty == "nato" and (t_pos, "nato") in member),
                others=[p for p, t in found if t != treaty],
            ):
                clause = matches.clause_start(sent, a_start)
                codes = _actors(sent, s_start, a_start, a_end, local, clause)
                if codes:
                    action = name
                    break
                if not clause:
                    break  # no state acts in the main clause: none acts in the sentence
            for code in codes:
                key = (code, treaty, action)
                if key not in out and not any(
                    k[0] == code and k[1] == treaty for k in out if action == "other"
                ):
                    if date is _UNSET:
                        date = find_date(sent) if _HAS_YEAR.search(sent) else None
                    out[key] = TreatyEvent(code, treaty, action, date)
    later = {
        (k[0], k[1]) for k in out if k[2] in ("parliament_vote", "deposit_withdrawal", "withdrawal_effective")
    }
    return [e for k, e in out.items() if not (k[2] == "announce_withdrawal" and (k[0], k[1]) in later)]


# (name as written, the character after it or "" at the end of the scanned window) -> treaty key: which treaty a
# name match is. A name's alternative matches exactly text[at:end] given the characters before (checked already by
# the scan), in and just after it; an earlier treaty's name that fails here fails on those too, or it would have
# matched instead (what the flat scan found is the first alternative, in treaty order, that matches).
_TREATY_OF: dict[tuple[str, str], str] = {}


def _treaty_at(low: str, at: int, end: int, endpos: int, r: _Rules) -> str:
    """The treaty whose name the flat scan found at low[at:end] (scanned up to `endpos`)."""
    key = (low[at:end], low[end : end + 1] if end < endpos else "")
    got = _TREATY_OF.get(key)
    if got is None:
        got = next(k for k, rx in r.treaty_each if rx.match(low, at, endpos))
        if len(_TREATY_OF) < 4096:
            _TREATY_OF[key] = got
    return got


class _Matches:
    """Each action's match spans in one sentence, found when first asked for (the first action that fits wins)."""

    def __init__(self, low_sent: str, r: _Rules, possible: int, safe: bool = False) -> None:
        self.low_sent = low_sent
        self.safe = safe  # text.fold_safe: lower-case twins of IGNORECASE patterns may run on low_sent
        self.r = r
        self.possible = possible  # bit mask: the actions that may match (_sentence_actions)
        self.found: dict[int, list[tuple[int, int]]] = {}
        self.clauses: dict[int, int] = {}

    def clause_start(self, sent: str, a_start: int) -> int:
        got = self.clauses.get(a_start)
        if got is None:
            if self.safe:  # _clause_start with the lower-case twin
                breaks = _CLAUSE_BREAK_LOW.spans(self.low_sent, 0, a_start)
                got = breaks[-1][1] if breaks else 0
            else:
                got = _clause_start(sent, a_start)
            self.clauses[a_start] = got
        return got

    def spans(self, i: int) -> list[tuple[int, int]]:
        got = self.found.get(i)
        if got is None:
            if self.possible >> i & 1:
                got = self.found[i] = self.r.action_fast[i].spans(self.low_sent)
            else:
                got = self.found[i] = []
        return got


def _key_windows(n: int, hits: Hits, keys: tuple[str, ...], before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans of a text of length `n` around each occurrence of a key (`hits`): a pattern whose every match
    contains a key (and is shorter than the margins) needs to be run only there, not over the whole text."""
    spans = []
    for k, starts in hits.items():  # (a few keys found; most texts have none of the keys)
        if k not in keys:
            continue
        nxt = 0  # (an occurrence that overlaps the one before adds nothing: skipped, as str.find would)
        for i in starts:
            if i >= nxt:
                spans.append((max(0, i - before), min(n, i + len(k) + after)))
                nxt = i + len(k)
    if len(spans) < 2:
        return spans
    spans.sort()
    out = [spans[0]]
    for a, b in spans[1:]:
        if a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _actions_near(
    sent: str,
    matches: _Matches,
    t_pos: int,
    treaty: str,
    r: _Rules,
    *,
    member_only: bool,
    others: list[int] = (),  # type: ignore[assignment]
) -> Iterator[tuple[str, int, int]]:
    """The actions reported about the treaty named at `t_pos`, in order of preference: (name, start, end) in the
    sentence.

    An action word closer to another treaty named in the sentence (`others`) is that treaty's ("Finland's exit from
    the mine ban treaty took effect, and Lithuania left the cluster munitions convention").
    """
    for i, (name, _rx) in enumerate(r.actions):
        if treaty == "nato" and name not in NATO_ACTIONS:
            continue
        if member_only and name == "announce_withdrawal":
            continue
        for a_start, a_end in matches.spans(i):
            dist = abs(a_start - t_pos)
            if dist > 140 or any(abs(a_start - o) < dist for o in others):
                continue
            if not _blocked(
                sent,
                a_start,
                a_end,
                name,
                matches.clause_start(sent, a_start),
                matches.low_sent if matches.safe else None,
            ):
                yield name, a_start, a_end


def _clause_start(sent: str, a_start: int) -> int:
    """Where the clause of the action at `a_start` begins: after the last clause break before it."""
    got = _CLAUSE_BREAK_FAST.spans(sent, 0, a_start)
    return got[-1][1] if got else 0


_CLAUSE_BREAK_FAST = FastRe(_CLAUSE_BREAK.pattern, _CLAUSE_BREAK.flags)
_CLAUSE_BREAK_LOW = FastRe(
    _lower_re(_CLAUSE_BREAK.pattern).pattern
)  # its twin on lower-cased text (fold_safe)
_FUTURE_EFFECT_FAST = FastRe(_FUTURE_EFFECT.pattern, _FUTURE_EFFECT.flags)
_YEAR_FAST = FastRe(_YEAR.pattern)  # group 1 (the year) ends each match
_EFFECT = re.compile(r"effect|force", re.I)
_WHICH_BEFORE = re.compile(r",\s*(?:which|who)\s+[^,]{0,40}$")
_SINCE_BEFORE = FastRe(r"\bsince\s+\w*\s*$")
# Inside a parliament's action, between its name and the verb: a vote still to come
_STILL_TO_COME = re.compile(
    r"\b(?:must\s+(?:still|first)|(?:has|have)\s+yet\s+to|still\s+(?:has|have|needs?)\s+to|will|would|"
    r"(?:is|are)\s+(?:also\s+|still\s+)?(?:expected|set|due|poised|likely|scheduled)\s+to)\b",
    re.IGNORECASE,
)
# a move told as the past of the story: "had (already) left", "has already left"
_HAD_BEFORE = re.compile(r"\b(?:had\s+(?:\w+\s+)?|(?:has|have)\s+already\s+)$")
# a move dated to an earlier year: "when it was taken last year", "two years ago"
_LAST_YEAR = re.compile(r"\b(?:last|previous)\s+year\b|\byears?\s+ago\b", re.IGNORECASE)
_ADJ_ACTOR = re.compile(
    r"\s+(?:[A-Z]\w+\s+)?(?:government|parliament|lawmakers|MPs|"
    r"cabinet|president|prime|foreign|defen[cs]e|state|authorities|"
    r"officials|leaders?|Saeima|Seimas|Riigikogu|Sejm|Rada)",
    re.I,
)


def _blocked(
    sent: str,
    a_start: int,
    a_end: int,
    action: str,
    clause_start: int | None = None,
    low_sent: str | None = None,
) -> bool:
    """Whether the action at `a_start` is negated, hypothetical, future or background. `low_sent`: `sent`
    lower-cased (text.lower), when text.fold_safe holds for it."""
    if clause_start is None:
        clause_start = _clause_start(sent, a_start)
    if low_sent is None:
        if _NEGATION.search(sent, clause_start, a_start):
            return True
    elif _NEGATION_LOW.search(low_sent, clause_start, a_start) or _MAY.search(sent, clause_start, a_start):
        return True
    if action == "parliament_vote" and _STILL_TO_COME.search(sent, a_start, a_end):
        return True  # "The Storting must still pass a law", "the Saeima will vote"
    if action in ("withdrawal_effective", "announce_withdrawal") and _FUTURE_EFFECT_FAST.search(
        sent[clause_start : a_end + 60]
    ):
        return action == "withdrawal_effective" or bool(_EFFECT.search(sent, a_start, a_end + 60))
    if _WHICH_BEFORE.search(sent, 0, a_start) or _SINCE_BEFORE.search(sent, 0, a_start):
        return True  # "Finland, which joined NATO in 2023", "since joining"
    lo, hi = max(0, a_start - 80), min(len(sent), a_end + 100)
    if _HAS_YEAR.search(sent, lo, hi):  # every _YEAR match holds one: most windows name no year
        for _, y_end in _YEAR_FAST.spans(sent, lo, hi):
            if int(sent[y_end - 4 : y_end]) < BACKGROUND_BEFORE_YEAR:
                return True
    if "year" in sent and _LAST_YEAR.search(sent, a_start, hi):
        return True
    return bool(_HAD_BEFORE.search(sent[max(0, a_start - 25) : a_start]))


# A reported move: "The defence ministers of X and Y announced on Tuesday that their countries would withdraw"
_REPORTED = re.compile(
    r"\b(?:announc\w+|said|say|says|confirm\w*|decid\w+|declar\w+|stated|agreed|told\s+\w+(?:\s+\w+)?)\s+"
    r"(?:(?:on|late\s+on|early\s+on)\s+\w+\s+|in\s+a\s+(?:joint\s+)?statement\s+|jointly\s+)?that\s*$",
    re.IGNORECASE,
)


def _actors(
    sent: str, s_start: int, a_start: int, a_end: int, local: list[Mention], clause_start: int | None = None
) -> list[str]:
    if clause_start is None:
        clause_start = _clause_start(sent, a_start)
    codes = _clause_actors(sent, s_start, a_start, a_end, local, clause_start)
    if not codes and clause_start and sent[clause_start - 1 : clause_start] == "t":
        # no state in the reported clause ("that their countries would withdraw"): the reporting one's subject
        rep = _REPORTED.search(sent, max(0, clause_start - 60), clause_start)
        if rep is not None:
            outer = _clause_start(sent, rep.start())
            codes = _clause_actors(sent, s_start, rep.start(), rep.start(), local, outer)
    return codes


def _clause_actors(
    sent: str, s_start: int, a_start: int, a_end: int, local: list[Mention], clause_start: int
) -> list[str]:
    group = _last_group(sent, s_start, clause_start, a_start, local)
    codes: list[str] = []
    after: Mention | None = None  # the last state taken after the action ("the withdrawal of X, Y and Z")
    for men in local:
        if clause_start <= men.start - s_start < a_start and men not in group:
            continue
        pos = men.start - s_start
        if clause_start <= pos < a_start:
            if _BEFORE_PREP.search(sent[max(clause_start, pos - 12) : pos]) and not _POSSESSIVE_OF.match(
                sent, men.end - s_start, a_start
            ):
                if men is group[-1]:
                    break  # the list is the object of a preposition ("the threat from Russia and Belarus")
                continue
            if men.kind == "adjective" and not _ADJ_ACTOR.match(
                sent, men.end - s_start, men.end - s_start + 40
            ):
                continue
            codes.append(men.code)
        elif pos == a_start and men.kind == "institution":
            codes.append(men.code)  # the parliament that opens the action: "The Seimas on Thursday voted"
        elif a_start < pos < a_end and _OF_STATES.match(sent, a_start, pos):
            codes.append(men.code)  # "The withdrawal of Lithuania, Latvia and Estonia ... came into force"
        elif (a_end <= pos < a_end + 30 and _AFTER_BY.match(sent[a_end:pos])) or (
            after is not None and _GROUP_GAP.match(sent[after.end - s_start : pos])
        ):
            codes.append(men.code)
            after = men
            continue
        after = None
    return list(dict.fromkeys(codes))


# Between a state and the action it owns: "(on) Ukraine's withdrawal", "Finland's planned exit"
_POSSESSIVE_OF = re.compile(r"(?:'s|’s)\s+(?:[a-z]+\s+)?$")
# From an action word to a state named after it as its subject: "withdrawal of Lithuania, Latvia and "
_OF_STATES = re.compile(
    r"(?:withdrawal|exit|departure)\s+of\s+(?:(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
    r"(?:\s*,\s*and\s+|\s*,\s*|\s+and\s+))*(?:the\s+)?$",
    re.IGNORECASE,
)


_GROUP_GAP = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+or\s+|\s*[-–—]\s*|\s+as\s+well\s+as\s+)$")


def _last_group(
    sent: str, s_start: int, clause_start: int, a_start: int, local: list[Mention]
) -> list[Mention]:
    """The mentions nearest before the action that form one list ("Latvia, Lithuania and Estonia")."""
    before = [m for m in local if clause_start <= m.start - s_start < a_start]
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        gap = sent[m.end - s_start : group[-1].start - s_start]
        if not _GROUP_GAP.match(gap) and not (m.kind == "adjective" and len(gap) < 40 and "," not in gap):
            break
        group.append(m)
    return group


def scan_keys() -> tuple[str, ...]:
    """What `keys.key_hits` looks for on behalf of this module."""
    return (*rules().keys, *_MEMBER_KEYS, *_JOIN_KEYS)
