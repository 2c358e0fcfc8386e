"""Finding the people a message mentions and the part each plays (client, trainer, ...).

Two sources: the studio's roster when given (full names, first or last names, possessives,
one-letter typos) and context when not ("with Priya", "new client Priya Raman", "covering
for Chase"). Names that are also words (Will, Mark, Chase, Bill, ...) count only with a sign
of being a name. Linking a mention to a studio member is the engine's job, not ours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nlu.fuzzy import OneEditIndex
from nlu.lexicon import lexicon

#: Words after which the next word is probably a person.
PERSON_CUES = frozenset(
    [
        "with",
        "w/",
        "for",
        "client",
        "clients",
        "trainer",
        "coach",
        "named",
        "called",
        "book",
        "books",
        "booking",
        "cancel",
        "reschedule",
        "move",
        "push",
        "tag",
        "tagging",
        "and",
        "see",
        "seeing",
        "meet",
        "train",
        "trained",
        "training",
        "coaching",
        "coached",
        "log",
        "note",
        "nor",
        "or",
        "by",
        "is",
        "was",
        "did",
        "does",
        "has",
        "add",
        "named",
    ]
    # is/was/did/does/has are weaker: see AUX_CUES
)
#: Words after which a name-word (Will, Mark, ...) is a name.
STRONG_CUES = frozenset(
    ["with", "w/", "for", "client", "trainer", "coach", "named", "called", "covering", "and", "by"]
)
#: Words after which a name-word is an ordinary word ("I will", "to mark").
ORDINARY_BEFORE = frozenset(
    [
        "i",
        "we",
        "you",
        "they",
        "he",
        "she",
        "it",
        "who",
        "that",
        "which",
        "to",
        "i'll",
        "don't",
        "please",
        "pls",
        "let's",
        "lets",
    ]
)
#: Words that follow a sentence-initial subject name ("Emma was a no show").
SUBJECT_VERBS = frozenset(
    [
        "was",
        "is",
        "did",
        "didn't",
        "has",
        "had",
        "cancelled",
        "canceled",
        "wants",
        "needs",
        "missed",
        "never",
        "can't",
        "couldn't",
        "won't",
        "showed",
        "came",
        "no-showed",
        "skipped",
        "isn't",
        "wasn't",
        "will",
        "would",
        "should",
        "can",
        "could",
        "just",
        "finished",
        "no",
        "ca",
        "wo",
        "do",
        "does",
        "has",
        "cancelled",
        "canceled",
        "called",
        "texted",
        "wants",
        "asked",
        "is's",
    ]
)
MONTH_NAMES = frozenset(["april", "may", "june", "july", "august"])
MONTH_BEFORE = frozenset(
    [
        "in",
        "of",
        "since",
        "until",
        "till",
        "from",
        "before",
        "after",
        "during",
        "this",
        "last",
        "next",
        "early",
        "late",
        "mid",
        "end",
        "on",
        "by",
    ]
)
#: Auxiliaries that precede a subject name ("did Marcus do", "is Priya free") but also other words.
AUX_CUES = frozenset(["is", "was", "did", "does", "has"])
AUX_FOLLOWERS = frozenset(
    [
        "do",
        "have",
        "had",
        "teach",
        "train",
        "run",
        "coach",
        "make",
        "earn",
        "get",
        "got",
        "free",
        "available",
        "around",
        "busy",
        "off",
        "working",
        "open",
        "need",
        "want",
    ]
)
AVAILABLE_WORDS = frozenset(["free", "available", "around", "busy", "off", "working", "in", "open"])
TRAINER_CUES = frozenset(["trainer", "coach", "pt"])
CLIENT_CUES = frozenset(["client", "customer", "member"])
SUBSTITUTE_CUES = (
    ("covering", "for"),
    ("cover", "for"),
    ("covered", "for"),
    ("subbing", "for"),
    ("sub", "for"),
    ("subbed", "for"),
    ("filling", "in", "for"),
    ("fill", "in", "for"),
    ("filled", "in", "for"),
    ("standing", "in", "for"),
    ("stood", "in", "for"),
    ("instead", "of"),
    ("in", "place", "of"),
    ("on", "behalf", "of"),
)
NAME_CUES = (("named",), ("called",), ("new", "client"), ("client", "named"), ("name", "is"), ("name:",))
#: Names ending in "s" that are not a possessive without apostrophe ("johns sessions").
NAMES_ENDING_IN_S = frozenset(
    [
        "james",
        "chris",
        "thomas",
        "nicholas",
        "lucas",
        "carlos",
        "marcus",
        "luis",
        "jesus",
        "charles",
        "douglas",
        "doris",
        "agnes",
        "frances",
        "lois",
        "dennis",
        "travis",
        "louis",
        "andreas",
        "matthias",
        "tobias",
        "elias",
        "jonas",
        "niklas",
        "paris",
        "iris",
        "phyllis",
        "alexis",
        "regis",
        "silas",
        "cyrus",
        "amos",
        "moses",
        "jules",
        "miles",
        "nicolas",
        "ines",
        "dolores",
        "mercedes",
        "gladys",
    ]
)
_TIME_FOLLOWERS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "morning",
        "afternoon",
        "evening",
        "noon",
        "next",
        "last",
        "upcoming",
        "today",
        "tomorrow",
        "yesterday",
    ]
)
POSSESSIVE_FOLLOWERS = frozenset(
    [
        "session",
        "sessions",
        "appointment",
        "appointments",
        "package",
        "schedule",
        "calendar",
        "availability",
        "waitlist",
        "commission",
        "commissions",
        "class",
        "classes",
        "booking",
        "bookings",
        "statement",
        "statements",
        "clients",
        "slot",
    ]
)


@dataclass
class Token:
    """A word of the message with its character offsets."""

    text: str
    lower: str
    start: int
    end: int

    @property
    def is_title(self) -> bool:
        return self.text[:1].isupper() and (
            len(self.text) == 1 or not self.text.isupper() or len(self.text) <= 3
        )


@dataclass
class Mention:
    """A person mentioned in the message; `role` is set by `assign_roles`."""

    text: str
    start: int  # token index
    end: int  # token index (exclusive)
    roster_roles: frozenset[str] = field(default_factory=frozenset)  # {"trainer", "client"}
    cue: str = ""  # the word before the mention, lower case
    role: str = ""


@dataclass
class Roster:
    """An index of the studio's names for matching mentions."""

    full: dict[tuple[str, ...], frozenset[str]]
    first: dict[str, frozenset[str]]
    last: dict[str, frozenset[str]]
    surnames_of: dict[str, set[str]]
    fuzzy: OneEditIndex
    words: frozenset[str]
    full_by_first: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]

    @classmethod
    def build(cls, roster: dict[str, Sequence[str]] | None) -> Roster:
        full: dict[tuple[str, ...], set[str]] = {}
        first: dict[str, set[str]] = {}
        last: dict[str, set[str]] = {}
        surnames_of: dict[str, set[str]] = {}
        for key, role in (("trainers", "trainer"), ("clients", "client")):
            for name in (roster or {}).get(key) or []:
                parts = tuple(str(name).lower().replace("'", "").split())
                if not parts:
                    continue
                full.setdefault(parts, set()).add(role)
                first.setdefault(parts[0], set()).add(role)
                if len(parts) > 1:
                    last.setdefault(parts[-1], set()).add(role)
                    surnames_of.setdefault(parts[0], set()).add(" ".join(parts[1:]))
        words = {w for parts in full for w in parts}
        freeze = lambda d: {k: frozenset(v) for k, v in d.items()}  # noqa: E731
        by_first: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for parts, roles in sorted(full.items(), key=lambda kv: -len(kv[0])):
            by_first.setdefault(parts[0], []).append((parts, frozenset(roles)))
        return cls(
            full_by_first=by_first,
            full=freeze(full),
            first=freeze(first),
            last=freeze(last),
            surnames_of=surnames_of,
            fuzzy=OneEditIndex(w for w in words if len(w) >= 4),
            words=frozenset(words),
        )

    def lookup_word(self, word: str) -> tuple[str, frozenset[str]] | None:
        """The roster word `word` stands for (exact or one typo away) and its roles."""
        for table in (self.first, self.last):
            if word in table:
                return word, table[word]
        lex = lexicon()
        if len(word) >= 4 and word not in lex.common_words and word not in lex.name_words:
            hits = self.fuzzy.candidates(word)
            if len(hits) == 1:
                hit = hits[0]
                return hit, self.first.get(hit, self.last.get(hit, frozenset()))
        return None


def _is_wordlike(tok: Token) -> bool:
    return tok.text.replace("-", "").isalpha()


def _prev(tokens: Sequence[Token], i: int) -> str:
    """The word before token i, looking past a colon ("new client: Jonah")."""
    j = i - 1
    while j >= 0 and tokens[j].text in {":", "-"}:
        j -= 1
    return tokens[j].lower if j >= 0 else ""


def _next(tokens: Sequence[Token], i: int) -> str:
    return tokens[i + 1].lower if i + 1 < len(tokens) else ""


def _sentence_initial(tokens: Sequence[Token], i: int) -> bool:
    return i == 0 or tokens[i - 1].text in {".", "!", "?", ";", '"'}


#: "pencil in Bob", "squeeze in Rose": the word after "in" is the person booked.
_PUT_IN_VERBS = frozenset(["pencil", "squeeze", "fit", "slot", "book", "put", "get", "pop", "sign"])


def _looks_named(tokens: Sequence[Token], i: int, roster: Roster) -> bool:
    """Is an ambiguous word (a name that is also a word) used as a name here?"""
    word, prev, nxt = tokens[i].lower, _prev(tokens, i), _next(tokens, i)
    roster_known = word in roster.first or word in roster.last
    if nxt in {"'s", "'"} or (word.endswith("s") and nxt in POSSESSIVE_FOLLOWERS):
        return True
    if any(nxt == s.split()[0] for s in roster.surnames_of.get(word, ())):
        return True
    if prev in ORDINARY_BEFORE or (prev in MONTH_BEFORE and word in MONTH_NAMES):
        return False
    if word in MONTH_NAMES and (nxt[:1].isdigit() or nxt in {"the", "first", "last"}):
        return False
    if (
        prev in STRONG_CUES
        or (roster_known and prev in PERSON_CUES | {"mark", "tell", "text", "remind", "note", "notes"})
        or (roster_known and prev == "in" and i >= 2 and tokens[i - 2].lower in _PUT_IN_VERBS)
        or (prev == "is" and word != "will" and nxt not in {"a", "an", "the"})
    ):
        return True
    if prev == "is" and word == "will":
        return True
    if _sentence_initial(tokens, i):
        return nxt in SUBJECT_VERBS and not (
            word == "will" and nxt in {"i", "you", "we", "he", "she", "they"}
        )
    if word == "will" and nxt in {
        "be",
        "i",
        "you",
        "we",
        "have",
        "need",
        "log",
        "book",
        "cancel",
        "do",
        "show",
    }:
        return False
    if word in MONTH_NAMES and not roster_known:
        # "Approve May commissions": a capitalised month is a month unless something says name.
        return False
    return tokens[i].is_title and prev not in {"to"}


def _strip_possessive_s(tokens: Sequence[Token], i: int, roster: Roster) -> str | None:
    """'johns sessions' -> 'john' when that is a name; None when the word is no such form."""
    tok = tokens[i]
    low = tok.lower
    if not (low.endswith("s") and len(low) > 3):
        return None
    base = low[:-1]
    if (base in roster.first or base in roster.last) and low not in roster.words:
        return tok.text[:-1]
    nxt = _next(tokens, i)
    if nxt not in POSSESSIVE_FOLLOWERS and not (nxt[:1].isdigit() or nxt in _TIME_FOLLOWERS):
        return None
    if (base in roster.first or base in roster.last) and low not in roster.words:
        return tok.text[:-1]
    if (
        low in NAMES_ENDING_IN_S
        or low in roster.words
        or low in lexicon().common_words
        or base in lexicon().common_words
    ):
        return None
    return tok.text[:-1]


def find_mentions(tokens: Sequence[Token], roster: Roster) -> list[Mention]:
    """Person mentions, left to right, with their roster roles and the cue before them."""
    lex = lexicon()
    mentions: list[Mention] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_wordlike(tok):
            i += 1
            continue
        # 1. A roster full name (each word exact or one typo away).
        matched = False
        first_word = tok.lower
        first_keys = {first_word} | (
            set(roster.fuzzy.candidates(first_word))
            if len(first_word) >= 4 and first_word not in lex.common_words
            else set()
        )
        for parts, roles in (x for key in first_keys for x in roster.full_by_first.get(key, ())):
            size = len(parts)
            if size < 2 or i + size > n:
                continue
            words = tuple(t.lower for t in tokens[i : i + size])
            if all(
                w == p
                or (
                    len(p) >= 4
                    and len(w) >= 4
                    and w not in lex.common_words
                    and roster.fuzzy.candidates(w) == [p]
                )
                for w, p in zip(words, parts, strict=True)
            ):
                texts = [t.text for t in tokens[i : i + size]]
                if words[-1] == parts[-1] + "s" and len(parts[-1]) >= 3:
                    texts[-1] = texts[-1][:-1]  # "chase wards package": a possessive without apostrophe
                text = " ".join(texts)
                mentions.append(Mention(text, i, i + size, roles, _prev(tokens, i)))
                i += size
                matched = True
                break
        if matched:
            continue
        low = tok.lower
        ambiguous = low in lex.name_words or low in lex.common_words
        # 2. A roster first or last name, or its possessive without apostrophe.
        hit = roster.lookup_word(low) if roster.words else None
        stripped = _strip_possessive_s(tokens, i, roster)
        if hit is None and stripped and roster.words:
            hit = roster.lookup_word(stripped.lower())
        if hit is not None and (not ambiguous or _looks_named(tokens, i, roster)):
            text = stripped if stripped and hit[0] == stripped.lower() else tok.text
            end = i + 1
            # A following capitalised word not in the roster may still be a surname ("Amber Smith").
            if not stripped and hit[0] in roster.first and end < n and tok.is_title:
                nxt = tokens[end]
                if (
                    nxt.text.isalpha()
                    and nxt.text[:1].isupper()
                    and nxt.text[1:].islower()
                    and nxt.lower not in lex.common_words
                    and nxt.lower not in lex.name_words
                    and nxt.lower not in roster.words
                    and _next(tokens, end) not in {"'s", "'"} | AVAILABLE_WORDS
                ):
                    text = f"{tok.text} {nxt.text}"
                    end += 1
            mentions.append(Mention(text, i, end, hit[1], _prev(tokens, i)))
            i = end
            continue
        # 3. A name from context.
        if _context_name_start(tokens, i, roster):
            end = i + 1
            while end < n and end - i < 3 and _continues_name(tokens, end):
                end += 1
            parts = [t.text for t in tokens[i:end]]
            last_stripped = _strip_possessive_s(tokens, end - 1, roster)
            if last_stripped:
                parts[-1] = last_stripped
            mentions.append(Mention(" ".join(parts), i, end, frozenset(), _prev(tokens, i)))
            i = end
            continue
        i += 1
    return mentions


def _context_name_start(tokens: Sequence[Token], i: int, roster: Roster) -> bool:
    """Could token i begin a name the roster does not know?"""
    lex = lexicon()
    tok = tokens[i]
    low = tok.lower
    if not tok.text.isalpha() or len(low) < 2:
        return False
    if low in lex.name_words:
        return _looks_named(tokens, i, roster)
    if low in lex.common_words or low in roster.words:
        return False
    prev, nxt = _prev(tokens, i), _next(tokens, i)
    if prev in TRAINER_CUES | CLIENT_CUES and i >= 2 and _prev(tokens, i - 1) in _GROUPING:
        return False  # "each trainer run", "per client spent": a role word as a group, not a title
    if prev in AUX_CUES:
        return tok.is_title or nxt in AUX_FOLLOWERS or nxt in {"'s", "'"}
    if prev in PERSON_CUES or nxt in {"'s", "'"}:
        return True
    if _strip_possessive_s(tokens, i, roster):
        return True
    if nxt in AVAILABLE_WORDS and prev in {"is", "'s", "was", "are"}:
        return True
    if _sentence_initial(tokens, i):
        return nxt in SUBJECT_VERBS
    return tok.is_title and not tok.text.isupper()


#: Words that make the role word after them a group ("each trainer", "per client"), not a title.
_GROUPING = frozenset(["each", "every", "per", "by", "which", "all", "other"])


def _continues_name(tokens: Sequence[Token], j: int) -> bool:
    """Does token j continue the name before it (a surname)?"""
    tok = tokens[j]
    low = tok.lower
    if not tok.text.isalpha() or low in lexicon().common_words:
        return False
    if tokens[j - 1].lower in {"'s", "'"}:
        return False
    prev_title = tokens[j - 1].is_title
    return tok.is_title if prev_title else True


TRAINER_ONLY_INTENTS = frozenset(
    [
        "validate_session",
        "dispute_session",
        "join_waitlist",
        "check_availability",
        "commission_status",
        "approve_commissions",
    ]
)
CLIENT_ONLY_INTENTS = frozenset(["mark_no_show", "add_note", "package_balance", "tag_client"])


def _cue_before(tokens: Sequence[Token], start: int, cues: Sequence[tuple[str, ...]]) -> bool:
    words = [t.lower for t in tokens[max(0, start - 3) : start]]
    return any(tuple(words[-len(c) :]) == c for c in cues if len(words) >= len(c))


#: Words that put someone on a waitlist ("put Emma on the waitlist", "waitlist Emma").
_WAITLIST_VERBS = frozenset(["put", "add", "get", "sign", "waitlist", "waitlisted", "place", "stick", "pop"])
_WAITLIST_WORDS = frozenset(["waitlist", "wait-list", "waiting", "wait", "standby"])


def _waitlist_roles(mentions: list[Mention], tokens: Sequence[Token], role: str) -> dict[str, str]:
    """join_waitlist: the speaker is the client unless staff put someone on it.

    "put Emma on the waitlist for Sarah" (staff): Emma is the client, Sarah the trainer; a
    client's mention is always the trainer ("waitlist me for Sarah"). `client` is beyond
    the contract's slots for this intent (an allowed addition).
    """
    slots: dict[str, str] = {}
    if role == "client":
        for m in mentions:
            slots.setdefault("trainer", m.text)
        return slots
    for m in mentions:
        before = tokens[m.start - 1].lower if m.start > 0 else ""
        after = [t.lower for t in tokens[m.end : m.end + 3]]
        possessive = bool(after) and after[0] in {"'s", "'"} and bool(set(after[1:]) & _WAITLIST_WORDS)
        put_on = bool(after) and after[0] in {"on", "onto", "to"} and bool(set(after[1:]) & _WAITLIST_WORDS)
        if before in TRAINER_CUES or possessive or before in {"with", "w/"}:
            m.role = "trainer"
        elif before in CLIENT_CUES:
            m.role = "client"
        elif len(m.roster_roles) == 1:
            m.role = next(iter(m.roster_roles))
        elif before in _WAITLIST_VERBS or put_on:
            m.role = "client"
        elif before == "for" and any(x.role == "client" for x in mentions):
            m.role = "trainer"
        else:
            m.role = "client" if role == "trainer" else ""
    taken = {m.role for m in mentions if m.role}
    for m in mentions:
        if not m.role:
            m.role = "trainer" if "client" in taken else "client"
            taken.add(m.role)
        slots.setdefault(m.role, m.text)
    return slots


def assign_roles(mentions: list[Mention], tokens: Sequence[Token], intent: str, role: str) -> dict[str, str]:
    """Slots (client, trainer, substitute_for, name) from the mentions, by cue, roster and speaker."""
    if intent == "join_waitlist":
        return _waitlist_roles(mentions, tokens, role)
    slots: dict[str, str] = {}
    undecided: list[Mention] = []
    for m in mentions:
        before = tokens[m.start - 1].lower if m.start > 0 else ""
        if intent == "add_client":
            m.role = "name"
        elif _cue_before(tokens, m.start, SUBSTITUTE_CUES):
            m.role = "substitute_for"
        elif before in TRAINER_CUES:
            m.role = "trainer"
        elif before in CLIENT_CUES or (before == "new" and m.start > 1):
            m.role = "client"
        elif len(m.roster_roles) == 1:
            m.role = next(iter(m.roster_roles))
        elif intent in TRAINER_ONLY_INTENTS:
            m.role = "trainer"
        elif intent in CLIENT_ONLY_INTENTS:
            m.role = "client"
        elif role == "client":
            m.role = "trainer"
        elif role == "trainer":
            m.role = "client"
        else:
            undecided.append(m)
            continue
    if len(undecided) >= 2:
        _two_people(undecided, tokens)
    for m in undecided:
        if m.role:
            continue
        taken = {x.role for x in mentions if x.role}
        if m.cue in {"with", "w/"} and "trainer" not in taken:
            m.role = "trainer" if "client" in taken else _manager_default(intent, m, tokens)
        elif (
            m.cue == "by"
            or intent == "query_sessions"
            and any(t.lower.startswith(("substitut", "covered", "subbed")) for t in tokens)
        ):
            m.role = "trainer"
        else:
            m.role = _manager_default(intent, m, tokens)
            if m.role in taken:
                m.role = "trainer" if m.role == "client" else "client"
    for m in mentions:
        if m.role and m.role not in slots:
            slots[m.role] = m.text
    return slots


def _two_people(people: list[Mention], tokens: Sequence[Token]) -> None:
    """A manager names two people: "Book Noah with Diego", "John Doe's session with Mike":
    the one after "with" is the trainer, the other the client."""
    withs = [m for m in people if m.cue in {"with", "w/"}]
    if withs:
        withs[0].role = "trainer"
        other = next(m for m in people if m is not withs[0])
        other.role = "client"
    else:
        people[0].role, people[1].role = "client", "trainer"


def _manager_default(intent: str, m: Mention, tokens: Sequence[Token]) -> str:
    """A manager's mention with nothing else to go on."""
    following = {t.lower for t in tokens[m.end : m.end + 2]}
    if (
        intent == "query_stats"
        and not any(t.lower in {"clients", "customers"} for t in tokens)
        and following & {"have", "had", "attend", "attended", "book", "booked", "buy", "bought"}
    ):
        return "client"
    if intent in {"query_stats", "export", "check_availability"} or m.cue == "by":
        return "trainer"
    if intent == "log_session" and m.cue == "for":
        return "trainer"
    return "client"
