"""Linking what someone said ("John", "jon's", "Mike", "emma wilsn") to a person in the studio.

The parser gives a mention as said; this module decides who it means among the
people the speaker may see (a manager: everyone; a trainer: the trainers and
their own clients; a client: the trainers and themself). It tolerates case,
possessives, first or last names alone, handles, common nicknames (Jon→John,
Mike→Michael, Bill→William, Liz→Elizabeth) and small typos. One best match →
that person; several equally good → the engine offers them as options; none →
the closest names as suggestions.
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select

from domain.model import Person, PersonRole, Role
from domain.store import UnitOfWork

# Nickname -> the full first names it stands for. Matching is symmetric (a person
# registered as "Mike Chen" is found by "Michael").
_NICKS: dict[str, tuple[str, ...]] = {
    "jon": ("john", "jonathan"),
    "johnny": ("john", "jonathan"),
    "jack": ("john", "jackson"),
    "mike": ("michael",),
    "mikey": ("michael",),
    "mick": ("michael",),
    "bill": ("william",),
    "billy": ("william",),
    "will": ("william",),
    "willy": ("william",),
    "liam": ("william",),
    "liz": ("elizabeth",),
    "lizzie": ("elizabeth",),
    "lizzy": ("elizabeth",),
    "beth": ("elizabeth", "bethany"),
    "betsy": ("elizabeth",),
    "betty": ("elizabeth",),
    "eliza": ("elizabeth",),
    "bob": ("robert",),
    "bobby": ("robert",),
    "rob": ("robert", "robin"),
    "robbie": ("robert",),
    "bert": ("robert", "albert", "herbert"),
    "jim": ("james",),
    "jimmy": ("james",),
    "jamie": ("james",),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "dick": ("richard",),
    "rick": ("richard", "eric", "frederick"),
    "rich": ("richard",),
    "richie": ("richard",),
    "kate": ("katherine", "catherine", "kathryn"),
    "katie": ("katherine", "catherine", "kathryn"),
    "kathy": ("katherine", "catherine", "kathryn"),
    "cathy": ("catherine",),
    "kat": ("katherine", "catherine"),
    "chris": ("christopher", "christine", "christina"),
    "alex": ("alexander", "alexandra", "alexis"),
    "sam": ("samuel", "samantha"),
    "sammy": ("samuel", "samantha"),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "dave": ("david",),
    "davy": ("david",),
    "steve": ("steven", "stephen"),
    "matt": ("matthew",),
    "nick": ("nicholas",),
    "nicky": ("nicholas", "nicole"),
    "tony": ("anthony",),
    "joe": ("joseph",),
    "joey": ("joseph",),
    "ben": ("benjamin",),
    "benny": ("benjamin",),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "sue": ("susan", "suzanne"),
    "susie": ("susan",),
    "meg": ("margaret", "megan"),
    "maggie": ("margaret",),
    "peggy": ("margaret",),
    "andy": ("andrew",),
    "drew": ("andrew",),
    "ed": ("edward",),
    "eddie": ("edward",),
    "ted": ("edward", "theodore"),
    "teddy": ("edward", "theodore"),
    "greg": ("gregory",),
    "jake": ("jacob",),
    "josh": ("joshua",),
    "pat": ("patrick", "patricia"),
    "patty": ("patricia",),
    "tim": ("timothy",),
    "timmy": ("timothy",),
    "vicky": ("victoria",),
    "tori": ("victoria",),
    "abby": ("abigail",),
    "becky": ("rebecca",),
    "becca": ("rebecca",),
    "cindy": ("cynthia",),
    "debbie": ("deborah",),
    "deb": ("deborah",),
    "gabe": ("gabriel",),
    "larry": ("lawrence",),
    "mandy": ("amanda",),
    "nate": ("nathan", "nathaniel"),
    "pam": ("pamela",),
    "phil": ("philip", "phillip"),
    "ron": ("ronald",),
    "ronnie": ("ronald",),
    "sandy": ("sandra",),
    "tina": ("christina",),
    "zach": ("zachary",),
    "zack": ("zachary",),
    "jess": ("jessica",),
    "jessie": ("jessica",),
    "jeff": ("jeffrey",),
    "charlie": ("charles", "charlotte"),
    "chuck": ("charles",),
    "hank": ("henry",),
    "harry": ("harold", "henry"),
    "fred": ("frederick",),
    "freddie": ("frederick",),
    "al": ("albert", "alan", "alfred"),
    "don": ("donald",),
    "ken": ("kenneth",),
    "kenny": ("kenneth",),
    "len": ("leonard",),
    "lenny": ("leonard",),
    "lou": ("louis", "louise"),
    "marty": ("martin",),
    "mel": ("melissa", "melanie"),
    "ollie": ("oliver", "olivia"),
    "liv": ("olivia",),
    "ray": ("raymond",),
    "russ": ("russell",),
    "stan": ("stanley",),
    "val": ("valerie",),
    "walt": ("walter",),
    "wes": ("wesley",),
    "gigi": ("georgina",),
    "jo": ("joanna", "josephine", "joanne"),
    "manny": ("manuel",),
    "izzy": ("isabel", "isabella"),
    "bella": ("isabella",),
    "ally": ("allison", "alison", "alexandra"),
    "cam": ("cameron",),
    "frank": ("francis",),
    "fran": ("frances", "francis"),
    "gwen": ("gwendolyn",),
    "kim": ("kimberly",),
    "trish": ("patricia",),
    "mo": ("maureen", "mohammed", "muhammad"),
}


@dataclass(frozen=True)
class Known:
    """A person as the name resolver sees them: light, read in one query per message (not an ORM row)."""

    id: uuid.UUID
    full_name: str
    handle: str
    roles: frozenset[Role]
    primary_trainer_id: uuid.UUID | None = None

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else self.full_name


PersonLike = Person | Known

# Scores of one way of matching; a mention resolves to the candidates with the best score.
EXACT, HANDLE, FULL_NICK, FIRST_LAST_INITIAL, FIRST, LAST, NICK, TYPO, PARTIAL = (
    100,
    95,
    90,
    85,
    80,
    75,
    70,
    60,
    50,
)

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Lower case, possessives and punctuation gone: "John's" -> "john", "O'Neil" kept.

    Memoised: the same few hundred names are normalised for every mention of every message.
    """
    text = text.lower().strip()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"s['’](?=\s|$)", "s", text)
    return " ".join(_WORD.findall(text))


def nick_match(a: str, b: str) -> bool:
    """Whether two first names can mean the same person through a nickname."""
    if a == b:
        return True
    fa, fb = _NICKS.get(a, ()), _NICKS.get(b, ())
    return b in fa or a in fb or bool(set(fa) & set(fb))


def _typo(a: str, b: str) -> bool:
    """A small typo: one edit for words of 4+ letters, two for 7+."""
    if a == b or abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 3:
        return False
    limit = 2 if min(len(a), len(b)) >= 7 else 1
    return _edits(a, b, limit) <= limit


def _edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (transpositions count one), stopping early past `limit`."""
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _name_forms(full_name: str, handle: str) -> tuple[str, tuple[str, ...], tuple[str, str]]:
    """A person's name as `score` compares it: normalised, its words, the handle's two forms."""
    full = norm(full_name)
    return full, tuple(full.split()), (handle.lower(), norm(handle.replace(".", " ")))


def score(mention: str, person: PersonLike, *, typos: bool = True) -> int:
    """How well a normalised mention names a person (0: not at all).

    The checks run from the best score down, so the first that holds is the score.
    `typos=False` skips the (costly) typo checks: the result is exact whenever it
    is above TYPO + 5, the best a typo can score.
    """
    full, words, handles = _name_forms(person.full_name, person.handle or "")
    said = mention.split()
    if not said or not words:
        return 0
    if mention == full:
        return EXACT
    if mention in handles:
        return HANDLE
    first, last = words[0], words[-1]
    if len(said) >= 2:
        s_first, s_last = said[0], said[-1]
        if nick_match(s_first, first) and s_last == last:
            return FULL_NICK
        if nick_match(s_first, first) and len(s_last) <= 2 and last.startswith(s_last):
            return FIRST_LAST_INITIAL
        if not typos:
            return 0
        if s_first == first and _typo(s_last, last) or _typo(s_first, first) and s_last == last:
            return TYPO + 5
        if _typo(mention, full):
            return TYPO
        return 0
    word = said[0]
    if word == first:
        return FIRST
    if len(words) > 1 and word == last:
        return LAST
    if nick_match(word, first):
        return NICK
    if typos and (_typo(word, first) or (len(words) > 1 and _typo(word, last))):
        return TYPO
    if len(word) >= 3 and first.startswith(word):
        return PARTIAL
    return 0


@dataclass
class Resolution:
    """The outcome of resolving one mention: one person, several to choose from, or none (with suggestions)."""

    mention: str
    person: PersonLike | None = None
    candidates: list[PersonLike] = field(default_factory=list)
    suggestions: list[PersonLike] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.person is None and len(self.candidates) > 1


def resolve(mention: str, people: Sequence[PersonLike], role: Role | str | None = None) -> Resolution:
    """Who `mention` means among `people`, preferring people with `role` when it is given."""
    said = norm(mention)
    result = Resolution(mention=mention.strip())
    if not said:
        return result
    pools: list[Sequence[PersonLike]] = []
    if role is not None:
        wanted = Role(role)
        pools.append([p for p in people if wanted in p.roles])
    pools.append(people)
    for pool in pools:
        # Most mentions name someone exactly, by first name or by nickname: score without the
        # typo checks first, and pay for them only when nothing scored above what a typo can.
        scored = [(score(said, p, typos=False), p) for p in pool]
        best = max((s for s, _ in scored), default=0)
        if best <= TYPO + 5:
            scored = [(score(said, p), p) for p in pool]
            best = max((s for s, _ in scored), default=0)
        if best > 0:
            top = [p for s, p in scored if s == best]
            if len(top) == 1:
                result.person = top[0]
            else:
                result.candidates = sorted(top, key=lambda p: p.full_name)
            return result
    result.suggestions = closest(said, pools[0] if pools[0] else people)
    return result


def closest(said: str, people: Sequence[PersonLike], n: int = 3) -> list[PersonLike]:
    """The people whose names look most like `said` (for "did you mean")."""
    ranked: list[tuple[float, PersonLike]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(said)
    for person in people:
        full = norm(person.full_name)
        best = 0.0
        for part in (full, *full.split()):
            matcher.set_seq1(part)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            best = max(best, matcher.ratio())
        if best >= 0.6:
            ranked.append((best, person))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].full_name))
    return [p for _, p in ranked[:n]]


def load_people(uow: UnitOfWork) -> list[Known]:
    """Every active person of the actor's studio, with their roles, in one plain query (no ORM rows)."""
    rows = uow.db.execute(
        select(Person.id, Person.full_name, Person.handle, Person.primary_trainer_id, PersonRole.role)
        .outerjoin(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.studio_id == uow.actor.studio_id, Person.active.is_(True))
    ).all()
    roles: dict[uuid.UUID, set[Role]] = {}
    first: dict[uuid.UUID, tuple[str, str, uuid.UUID | None]] = {}
    for pid, name, handle, trainer, role in rows:
        first.setdefault(pid, (name, handle or "", trainer))
        if role:
            roles.setdefault(pid, set()).add(Role(role))
    return [
        Known(pid, name, handle, frozenset(roles.get(pid, ())), trainer)
        for pid, (name, handle, trainer) in first.items()
    ]


def people_fingerprint(uow: UnitOfWork) -> tuple[object, ...]:
    """What changes when someone joins the studio (a cache of `load_people` is stale when it differs)."""
    return tuple(
        uow.db.execute(
            select(func.count(Person.id), func.max(Person.created_at)).where(
                Person.studio_id == uow.actor.studio_id
            )
        ).one()
    )


def visible_people(
    uow: UnitOfWork, speaker: Person | None, everyone: list[Known] | None = None
) -> list[Known]:
    """The active people the speaker may name.

    Managers and trainers: everyone (a trainer may log or book a session with
    any client of the studio, e.g. when covering; the domain decides what they
    may see about them). Clients: the trainers and themself.
    """
    if everyone is None:
        everyone = load_people(uow)
    if speaker is None or uow.actor.is_manager or uow.actor.is_trainer:
        return everyone
    return [p for p in everyone if Role.TRAINER in p.roles or p.id == speaker.id]


@lru_cache(maxsize=64)
def name_words(full_names: tuple[str, ...]) -> frozenset[str]:
    """The words of these names that are only names (lower case): "emma", not "will" or "mark".

    Speech comes in lower case, so a word of a transcript is taken for a name only when it
    can't be an ordinary word. Cached: a voice note asks once per reading of it.
    """
    from nlu.lexicon import lexicon

    words = {w for name in full_names for w in re.findall(r"[a-z]+", name.lower())}
    return frozenset(words - set(lexicon().common_words))


def roster(people: Iterable[PersonLike]) -> dict[str, list[str]]:
    """The parser's gazetteer: names of trainers and of clients."""
    trainers: list[str] = []
    clients: list[str] = []
    for p in people:
        if Role.TRAINER in p.roles:
            trainers.append(p.full_name)
        if Role.CLIENT in p.roles or not p.roles & {Role.TRAINER}:
            clients.append(p.full_name)
    return {"trainers": sorted(trainers), "clients": sorted(clients)}
