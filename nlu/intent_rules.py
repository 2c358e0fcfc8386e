"""Intent rules: ordered regular expressions over the normalised, lower-cased message.

Rules come first because they are exact where the domain is (a verb like "reschedule", a
phrase like "no show"); the trained text classifier (`nlu.classifier`) only decides what
no rule claims. Order matters: more specific intents are tried before general ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# ---- conversation control and small talk (short messages only) -----------------------------
AFFIRM = _re(
    r"^(?:ye+s+|yeah+|yea|yep+|yup+|yah|ya+|yas+|sure+|ok+ay|okk+|okie|oki|okey|kk|k+|ya sure|yeah sure|sure thing|"
    r"yes+ (?:please|sir|ma'?am)|aye|affirm|roger|si|oui|cool|awesome|sweet|works for me|👍|👌|✅|✔️?|yes|yeah|yea|yep|yup|yah|ya|sure|correct|right|exactly|ok|okay|k|affirmative|absolutely|definitely|"
    r"of course|sounds good|that'?s (?:right|correct|it|fine|good|perfect)|that works|perfect|great|confirm(?:ed)?|"
    r"go ahead|do it|please do|yes please|looks good|all good|fine|alright|all right|that'?s the one|indeed|"
    r"correctamundo|bingo|uh huh|mhm|totally|you got it|good|agreed|right on|for sure|yes sir|y)\b"
)
DENY = _re(
    r"^(?:no+|nope+|nah+|naw|nay|nop|no+pe|not at all|not really|no thx|no ty|no sorry|sorry no|👎|❌|"
    r"no|nope|nah|not really|negative|wrong|incorrect|not quite|not right|that'?s (?:wrong|not right|incorrect|"
    r"not it|not correct)|no way|not that|neither|none of (?:those|them|these)|n|no thanks|no thank you|"
    r"that is (?:wrong|not right|incorrect)|absolutely not|definitely not|nah mate|no no)\b"
)
STOP = _re(
    r"^(?:(?:please |ok |oh |just |actually |um |uh )?(?:never ?mind|forget (?:it|that|about it|this)|stop|quit|abort|"
    r"exit|cancel (?:that|this|it)|leave it|skip (?:it|this|that)|drop it|don'?t bother|scratch that|nothing|"
    r"no matter|doesn'?t matter|ignore (?:that|this|it|me)|nvm|enough|start over|let it go|not now|i changed my mind|"
    r"changed my mind)(?: then| please| thanks| for now)?)\W*$"
)
UNDO = _re(
    r"\b(?:undo|un-do|revert|take (?:that|it) back|roll ?back|reverse (?:that|it|the last|what you (?:just )?did)|"
    r"put it back|go back to how it was|that was a mistake,? undo)\b"
)
HELP = _re(
    r"^(?:help|help me|help please|\?+|menu|commands|options)\W*$|\bwhat (?:can|do|else can) you (?:do|help)\b|"
    r"\bhow (?:do|does|can) (?:i use|this work|you work|i use this|this bot)\b|\bwhat are (?:my|the|your) options\b|"
    r"\bwhat (?:commands|things) can\b|\bhow does this (?:thing |bot )?work\b|\bwhat are you (?:able|capable)\b|"
    r"\bcan you help\b|\bi need help\b|\bshow me (?:the )?(?:commands|what you can do)\b|\bwhat is this\b|"
    r"\bwho are you\b|\binstructions\b"
)
GREET = _re(
    r"^(?:hi+|hello+|hey+|hiya|howdy|yo|heya|hey there|hi there|hello there|greetings|sup|what'?s up|good "
    r"(?:morning|afternoon|evening|day)|morning|afternoon|evening|g'?day|hola|bonjour|how are you|how'?s it going)\b"
)
THANKS = _re(
    r"\b(?:thanks|thank you|thank u|thankyou|cheers|much appreciated|appreciate (?:it|that|you)|ta|merci|many thanks)\b"
)


# ---- domain intents --------------------------------------------------------------------------
EXPORT = _re(r"\b(?:export|csv|spreadsheet|excel|download|dump)\b")
ADD_CLIENT = _re(
    r"\b(?:add|create|register|enrol+|enroll|onboard|set up|sign up|make)\b.{0,60}?\b(?:new )?(?:client|customer|member)\b"
    r"(?!s?\s+(?:tag|session|'s))|\bnew (?:client|customer|member)\b(?!s)|\b(?:client|customer) (?:named|called)\b"
)
TAG = _re(
    r"\b(?:tag|tagged|tags|label)\b(?!.*\b(?:show|list|how many)\b)|\bmark \w+(?: \w+)? as (?:a |an )?(?:vip|beginner|premium)\b"
)
APPROVE_COMMISSION = _re(
    r"\b(?:approve|approved|sign off(?: on)?|okay|ok|finali[sz]e|authori[sz]e|confirm)\b.{0,60}?"
    r"\b(?:commissions?|statements?|payouts?|payroll|pay ?sheets?)\b"
)
WAITLIST = _re(
    r"\bwait ?-?list|\bwaiting list\b|\bstandby\b|\bnotify me (?:if|when)\b|\blet me know (?:if|when)\b.{0,40}\b"
    r"(?:opens?|frees?|available|cancels?)\b|\bif (?:a|any) (?:spot|slot|space|opening) (?:opens|frees|comes)"
)
STATS_CUE = _re(
    r"\bhow many\b|\bnumber of\b|\bcount of\b|(?:^|\s)(?:#|no\.)\s?of\b|\bnum of\b|\btotal\b|\brate\b|\brevenue\b|\bstats?\b|\bstatistics\b|"
    r"\btop \w+|\brank|\baverage\b|\bavg\b|\bbusiest\b|\bbreakdown\b|\bpercent|\bper (?:trainer|client|location|"
    r"week|month|day|hour|weekday|type|studio|coach)\b|\bby (?:trainer|client|location|week|month|day|hour|weekday|"
    r"type|session type|studio|coach|number)\b|\bmost (?:sessions|active|no|clients|cancel)|\bhow much revenue\b|"
    r"\bincome\b|\bsales\b|\b(?:daily|weekly|monthly) (?:revenue|sessions|numbers|totals?)\b|\bwhich trainers?\b.*\bmost\b|"
    r"\bleaderboard\b|\bcompare trainers\b|\bhow did (?:we|the studio) do\b|"
    r"\bhow (?:did|do|does|is|are|was|were) (?:each|every|all|the|my|our) (?:trainers?|coach(?:es)?|clients?|locations?|studios?)\b.{0,20}\b(?:do|doing|perform\w*|compare)\b|"
    r"\b(?:each|every) (?:trainer|coach|location|studio)'?s? (?:validation|revenue|cancellation|no[- ]?show|session)|"
    r"\bhow (?:are|is|did|were|was) (?:we|the studio|business|the gym|things) (?:doing|going|do)\b|"
    r"\b(?:best|top|worst|busiest|most productive|most popular) (?:trainer|client|coach|day|hour|location|time)s?\b"
)
NO_SHOW = _re(
    r"\bno[- ]?shows?\b|\bno[- ]?showed\b|\b(?:didn'?t|did not|never|failed to|doesn'?t|did'?nt) (?:show|turn up|come|"
    r"make it|attend|arrive|appear)\b|\bnever (?:showed|came|turned up|arrived)\b|\bstood (?:me|us) up\b|\bghosted\b|"
    r"\bwas absent\b|\bwere absent\b|\bwasn'?t there\b(?=.*\b(?:client|he|she|they)\b)|\bskipped (?:his|her|their|the) "
    r"(?:session|appointment|class)\b|\bmissed (?:his|her|their) (?:session|appointment|\d)"
)
DISPUTE = _re(
    r"\bdispute|\bnever happened\b|\bdidn'?t happen\b|\bdid not happen\b|\bdidn'?t take place\b|\bdid not take place\b|"
    r"\bnever took place\b|\bi (?:didn'?t|did not|never) (?:have|had|attend|do|go to|train|book)\b|"
    r"\bi was(?:n'?t| not) (?:there|at|in)\b|\bnot a real session\b|\b(?:wrongly|incorrectly|falsely|mistakenly) "
    r"(?:logged|recorded|charged)\b|\bshould(?:n'?t| not) (?:be|have been) (?:logged|charged|recorded)\b|"
    r"\b(?:that|this|the) session (?:is|was) (?:wrong|not mine|a mistake|fake|bogus)\b|\bcontest\b|\bnot mine\b|"
    r"\bthat'?s not (?:right|true|correct)\b.*\bsession\b|\bwasn'?t me\b|\bi wasn'?t even\b"
)
VALIDATE = _re(
    r"\b(?:confirm|validate|verify|approve|vouch)\b(?!.{0,40}\b(?:commission|statement|payout))|\bconfirming\b|"
    r"\bvalidating\b|\byes,? (?:i|we) (?:had|did|trained|attended)\b|(?<!\bnever )\b(?:did|really|definitely) (?:happen|take place)\b|"
    r"\b(?:it|that|the session) (?:did )?(?:happened|"
    r"took place|was real)\b|\bi (?:did|really) (?:have|attend|do)\b|\bi can confirm\b|\bthat'?s (?:correct|right),? "
    r"(?:i|we) (?:had|trained)\b|\bsign off on my\b|\bi attended\b"
)
NOTE = _re(r"\bnotes?\b|\bjot down\b|\bwrite down\b|\bremark\b|\bcomment\b|\bannotate\b|\bnoting\b")
LOG = _re(
    r"\blog|\brecord|\bi (?:just )?(?:did|had|trained|taught|ran|finished|completed|coached|worked out with)\b|"
    r"\b(?:just )?(?:did|had|finished|completed|wrapped up) (?:a |an |my |the |our |\d+|half|an hour)|"
    r"\btrained (?:with )?\w+ (?:today|yesterday|this|last|at|on|for)|\bjust trained\b|"
    r"\bjust (?:finished|wrapped up|wrapped|did|had|done) (?:with|w/)\b|\b(?:finished|done) (?:with|w/) \w+,? \d|\bwe (?:did|had|trained)\b|"
    r"\benter (?:a |an )?session\b|\bmark (?:a |the |my )?session (?:as )?(?:done|complete)|\bsession (?:done|complete|"
    r"completed|finished) with\b|\bput down (?:a )?session\b|\badd (?:a |an )?(?:past |completed )?session\b.*\b(?:"
    r"yesterday|ago|earlier|this morning|last|today at)\b"
)
# "Mike covered for Sarah with Emma on Monday": a session that took place, with a substitute.
COVERED = _re(r"\b(?:covered|subbed|filled in|stood in) for\b")
RESCHEDULE = _re(
    r"\bre-?schedul|\bresched\b|\bmove\b|\bmoving\b|\bpush(?:ing)?\b|\bshift\b|\bpostpone|\bbring (?:\w+ )?forward\b|"
    r"\brebook|\bre-book|\bchange (?:my|the|his|her|our|their|\w+'s) (?:session|appointment|booking|time|\d)|"
    r"\bswap\b|\bswitch (?:my|the|\w+'s) |\bdelay\b|\binstead of\b|\bmake it (?:at )?\d|\bcan we do \w+ instead\b|\binstead\b.*\b(?:session|at)\b"
)
CANCEL = _re(
    r"\bcancel(?!led|ed|lation|s\b)|\bcall(?:ing)? off\b|\bscrap\b|\bcan'?t (?:make|come|attend|do)\b|"
    r"\bwon'?t (?:make|be able|be coming|come)\b|\bunable to (?:make|attend|come)\b|\bnot (?:going to|gonna) make\b|"
    r"\b(?:delete|remove|drop) (?:my|the|his|her|their|\w+'s|a|this|that) (?:\w+ )?(?:session|appointment|booking|\d)|"
    r"\bi need to cancel\b|\bcannot (?:make|come|attend)\b|\bcan'?t make it\b|"
    r"\bcancel(?:l?ed) (?:on (?:me|us)|(?:her|his|their) (?:session|appointment|\d))"
)
AVAILABILITY = _re(
    r"\bfree\b|\bavailab|\bopenings?\b|\bopen (?:slots?|spots?|times?)\b|\b(?:any|free) (?:slots?|spots?|times?|space)\b|"
    r"\bwhen can i (?:see|train|book|get)\b|\bwhen (?:is|are) \w+ (?:free|open|around|working)\b|\bhas (?:time|room|space)\b|"
    r"\bhave (?:time|room|space)\b|\bwhat times? (?:does|do|can) (?!i\b)\w+|(?<!my )\bschedule (?:open|look)\b|"
    r"\b(?:anything|something|any ?time|a slot|a spot|room|space) (?:open|free|available|left)\b|\bfree time\b|"
    r"\b(?:is|are) (?!you\b|we\b|i\b)\w+ (?:working|in|around|free|available|open|off)\b(?! (?:sessions?|the|a)\b)"
)
PACKAGE = _re(
    r"\b(?:sessions?|credits?|classes|ones|any|package)\b.{0,30}\b(?:left|remaining|remain)\b|"
    r"\b(?:left|remaining) (?:on|in) (?:my|the|his|her|their|\w+'s) package\b|\bremaining (?:sessions|credits|balance)\b|"
    r"\bbalance\b|\bpackage\b|\bcredits?\b|\bsessions? (?:do|does) (?:i|he|she|they|\w+) (?:still )?have\b(?!.*\b(?:today|"
    r"tomorrow|week|month|booked|scheduled))|\bhow many (?:more )?sessions (?:can|does|do)\b(?!.*\b(?:today|tomorrow|week|month))"
)

COMMISSION = _re(
    r"\bcommissions?\b|\bearn(?:ed|ings?|ing)?\b|\bmake (?:in|this|last|so far)\b|\bmade (?:this|last|so far|in)\b|"
    r"\bhow much (?:did|do|have|will|am|has) (?:i|he|she|\w+) (?:made|make|earn|earned|get|got|paid|been paid)\b|"
    r"\bmy (?:pay|payout|paycheck|pay check|cut)\b|\bget paid\b|\bwhat (?:do|will) i get paid\b|\bpayout\b|"
    r"\bhow much (?:money )?(?:have|did) i (?:made|make)\b|"
    r"\b(?:on|off) (?:track|pace)\b(?!.*\b(?:sessions?|revenue|clients?|no[- ]?shows?|cancell?ations?|validations?)\b)"
)
COMMISSION_STATS = _re(
    r"\b(?:rank|top|trainers|each trainer|per trainer|by trainer|which trainer|compare trainers|who earned|leaderboard|total)\b"
)
BOOK = _re(
    r"\bbook|(?<!my )(?<!the )(?<!'s )(?<!your )(?<!our )(?<!their )\bschedul(?!e (?:look|for (?:today|tomorrow|this|next)))|\bset (?:me |him |her |them |\w+ )?up\b|\bsign (?:me|\w+) up\b|\bput (?:me|\w+) (?:down|in)\b|"
    r"\breserve\b|\barrange\b|\bpencil\b|\bget (?:me|\w+) (?:in|a session|booked)\b|\bi'?d like (?:a|to|an)\b|"
    r"\bi (?:want|wanna|would like|need) (?:a|to (?:train|see|book|come|get|do)|an|another|some)\b|\b(?:can|could|may) i (?:get|have|come|see|train|do|grab)\b|"
    r"\bput (?:a |an |the )?(?:session|appointment|class) in\b|\bsqueeze (?:me|\w+) in\b|\bfit (?:me|\w+) in\b|\bslot (?:me|\w+) in\b|\bplan (?:a|an)\b|\bnew (?:session|appointment|booking)\b|"
    r"\badd (?:a |an )?(?:session|appointment)\b|\bsee (?:\w+ )?(?:tomorrow|next|on|at)\b|\bsign up\b|\bset up\b"
)
QUERY = _re(
    r"\bsessions?\b|\bschedule\b|\bcalendar\b|\bagenda\b|\bappointments?\b|\bbookings?\b|"
    r"\bwhat (?:do|have|did) (?:i|we|\w+) (?:got|have|has|had|on)\b|\bwhat'?s (?:on|up for|happening|booked|scheduled|planned|next)\b|"
    r"\bwho (?:am i|do i|have i|did i|is \w+ (?:seeing|training))\b|\bany(?:thing)? (?:on|booked|planned)\b|\bclasses\b|"
    r"\bam i (?:booked|training|seeing|busy)\b|\bdo i have\b"
)
BARE_SESSION = _re(
    r"^(?:an? |the |one |another |my )?(?!(?:completed|cancell?ed|canceled|validated|disputed|pending|missed|upcoming|"
    r"scheduled|past|all|any|recent|previous)\b)(?:\w+ )?(?:session|appointment|pt|class|workout|training)\s+(?:with|for|w/)\s+\w+"
)
QUESTION = _re(r"\?|^(?:what|which|when|who|any|do|does|did|is|are|show|list|how)\b")
PAST_WORDS = _re(
    r"\b(?:yesterday|ago|earlier|this morning|last (?:night|mon|tue|wed|thu|fri|sat|sun)\w*|just|done|finished|completed|"
    r"went|was|were|had|did)\b"
)
#: A "booking" of a time already gone is a log: "put a session in for Emma yesterday"...
BOOKED_IN_THE_PAST = _re(r"\b(?:yesterday|ago|earlier today|last night|this morning)\b")
#: ...unless a booking verb says so: "book Emma yesterday at 5" stays a booking (the engine
#: refuses the past time politely rather than logging a session nobody asked to log).
EXPLICIT_BOOKING = _re(r"\b(?:book(?:s|ed|ing)?|re-?book\w*|schedul\w*|reserv\w*|pencil\w*)\b")
#: "disputed sessions for Mark": a list of sessions in that state, not a dispute.
DISPUTED_LIST = _re(
    r"^(?:all |any |the |my |our )?(?:\w+'s )?disputed (?:sessions|ones|appointments|bookings)\b"
)
LIST_CUE = _re(r"\b(?:show|list|which|what|see|view|display|give me|pull up|get me|find)\b(?<!no show)")


@dataclass(frozen=True)
class IntentGuess:
    """What the rules decided, and which rule decided it (for debugging)."""

    intent: str
    rule: str


def _short(text: str, words: int) -> bool:
    return len(re.findall(r"[\w']+", text)) <= words


def classify_by_rules(text: str, role: str) -> IntentGuess | None:
    """The intent the rules give for a normalised message, or None if no rule applies."""
    original = text.lower().strip()
    t = re.sub(r"^(?:hey|hi|hello|ok|okay|so|um|uh|oh|please|pls|yo)\b[,!.]*\s+(?=\w)", "", original)
    if not re.search(r"[a-z]", t):
        if re.fullmatch(r"\?+", t):
            return IntentGuess("help", "question-mark")
        if re.fullmatch(r"[\s!.]*(?:[👍👌✅✔🙆]\ufe0f?[\s!.]*)+", t):
            return IntentGuess("affirm", "emoji")
        if re.fullmatch(r"[\s!.]*(?:[👎❌✖🙅]\ufe0f?[\s!.]*)+", t):
            return IntentGuess("deny", "emoji")
        return None

    def guess(intent: str, rule: str) -> IntentGuess:
        return IntentGuess(intent, rule)

    control: list[tuple[re.Pattern[str], str, int]] = [
        (UNDO, "undo", 12),
        (STOP, "stop", 8),
    ]
    # "stop, leave it", "ok never mind": a control word, then the control phrase.
    bare = re.sub(r"^(?:(?:stop|no|nah|ok|okay|oh|ugh|hmm|actually|wait)\b[\s,.!]*)+(?=\w)", "", t)
    for pattern, intent, limit in control:
        if (pattern.search(t) or pattern.search(bare)) and _short(t, limit):
            return guess(intent, intent)

    checks: list[tuple[str, Callable[[], bool]]] = [
        ("export", lambda: bool(EXPORT.search(t))),
        ("add_client", lambda: bool(ADD_CLIENT.search(t)) and not NOTE.search(t)),
        ("approve_commissions", lambda: bool(APPROVE_COMMISSION.search(t))),
        ("tag_client", lambda: bool(TAG.search(t))),
        ("join_waitlist", lambda: bool(WAITLIST.search(t))),
        ("no_show_stats", lambda: bool(NO_SHOW.search(t)) and bool(STATS_CUE.search(t))),
        (
            "no_show_list",
            lambda: (
                bool(NO_SHOW.search(t))
                and bool(LIST_CUE.search(t))
                and bool(re.search(r"no[- ]?shows\b|sessions\b", t))
            ),
        ),
        ("mark_no_show", lambda: bool(NO_SHOW.search(t))),
        (
            "dispute_session",
            lambda: (
                bool(DISPUTE.search(t))
                and not STATS_CUE.search(t)
                and not LIST_CUE.search(t[:12])
                and not DISPUTED_LIST.search(t)
            ),
        ),
        (
            "validate_session",
            lambda: bool(VALIDATE.search(t)) and not LIST_CUE.search(t[:12]) and not STATS_CUE.search(t),
        ),
        ("log_note", lambda: bool(NOTE.search(t)) and bool(re.search(r"\blog|\brecord", t))),
        ("add_note", lambda: bool(NOTE.search(t)) and not (LIST_CUE.match(t) and ":" not in t)),
        ("reschedule_session", lambda: bool(RESCHEDULE.search(t))),
        ("cancel_session", lambda: bool(CANCEL.search(t))),
        (
            "package_balance",
            lambda: bool(PACKAGE.search(t)) and not re.search(r"\b(?:revenue|commission)\b", t),
        ),
        (
            "commission_stats",
            lambda: bool(COMMISSION.search(t)) and bool(COMMISSION_STATS.search(t)) and role != "trainer",
        ),
        ("commission_status", lambda: bool(COMMISSION.search(t))),
        ("check_availability", lambda: bool(AVAILABILITY.search(t))),
        ("query_stats", lambda: bool(STATS_CUE.search(t))),
        ("log_session", lambda: bool(LOG.search(t))),
        ("log_cover", lambda: bool(COVERED.search(t)) and not QUESTION.search(t)),
        ("book_session", lambda: bool(BOOK.search(t))),
        ("bare_session", lambda: bool(BARE_SESSION.search(t)) and not QUESTION.search(t)),
        ("query_sessions", lambda: bool(QUERY.search(t)) and not _small_talk(t)),
    ]
    for name, check in checks:
        if check():
            intent = {
                "no_show_stats": "query_stats",
                "no_show_list": "query_sessions",
                "log_note": "log_session",
                "log_cover": "log_session",
                "commission_stats": "query_stats",
                "bare_session": "log_session" if PAST_WORDS.search(t) else "book_session",
            }.get(name, name)
            if (
                intent == "book_session"
                and role in {"trainer", "manager", "admin"}
                and BOOKED_IN_THE_PAST.search(t)
                and not EXPLICIT_BOOKING.search(t)
            ):
                intent, name = "log_session", "book_in_the_past"
            return guess(intent, name)

    small = _small_talk(original)
    if small:
        return guess(small, small)
    return None


_DENY_THANKS = _re(r"^(?:no+|nope|nah)\b[\s,!.]*(?:thanks|thank you|thx|ty|thank u)\b\W*$")


def _small_talk(t: str) -> str | None:
    """affirm / deny / help / greet / thanks for a short message that asks for nothing else."""
    if HELP.search(t) and _short(t, 10):
        return "help"
    if (
        GREET.search(t)
        and _short(t, 6)
        and not AFFIRM.search(re.sub(r"\bgood (?:morning|afternoon|evening|day|night)\b", "", t))
    ):
        return "greet"
    if _short(t, 8):
        if _DENY_THANKS.match(t):
            return "deny"
        if THANKS.search(t):
            return "thanks"
        if DENY.search(t):
            return "deny"
        if AFFIRM.search(t):
            return "affirm"
    if GREET.search(t) and _short(t, 6):
        return "greet"
    return None
