"""Names after a title or a care role ("Dr Smith", "my CPN Dave"): part of analysis.privacy.redaction.

Kept apart because it is mostly word lists. `sub_names(text, words)` replaces the name with
"[NAME]" and keeps the title or role, so "psychiatrist Dr Patel" becomes "psychiatrist Dr [NAME]".
"""

from __future__ import annotations

import re
from collections.abc import Callable

NAME_PLACEHOLDER = "[NAME]"

# A name word: capitalised, with Mc/Mac/O' and double-barrelled forms; accents allowed.
_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_NAME_WORD = rf"(?:[{_UP}]['’]|Mc|Mac)?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
# After a title only, an all-capitals name too ("DR SMITH"); ordinary words are filtered later.
_CAPS_WORD = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
_INITIAL = rf"[{_UP}]\.?"
# Titles: capitalised (or all lower-case for the unambiguous abbreviations), optional full stop.
_TITLES = r"(?:Dr|DR|dr|Doctor|Mr|MR|mr|Mrs|MRS|mrs|Ms|MS|Miss|Mx|Prof|Professor|Sister|Matron)"
_ROLES = (
    r"(?:(?:community\s+|psychiatric\s+|mental\s+health\s+|named\s+|charge\s+|staff\s+|"
    r"ward\s+|student\s+|specialist\s+|crisis\s+)?nurse|"
    r"care\s+co-?ordinator|cpn|psychiatrist|psychologist|social\s+worker|consultant|"
    r"(?:occupational\s+)?therapist|counsel+or|key\s*worker|(?:peer\s+)?support\s+worker|"
    r"care\s+worker|doctor|gp|health\s+visitor|midwife|pharmacist|advocate|case\s+manager|"
    r"ward\s+manager|manager|receptionist|hca|practitioner|clinician|worker|ot|dr|"
    r"psychotherapist|paramedic|officer|matron|sister)"
)
# Words that start with a capital after a title/role but are not names ("Nurse Led clinic").
_NOT_NAMES = frozenset(
    """
    a an and are as at be but by can could did didn't do does don't for from had has have he her
    here his i if in is it its me my no not of on or our she so than that the their them then there
    they this to too very was we were what when where which who will with would you your yes
    led lead leads team teams service services clinic clinics unit ward wards surgery practice
    practitioner practitioners specialist specialists appointment appointments health mental crisis
    home community trust nhs camhs hospital centre center department said says told asks asked
    never always also just only really again today yesterday tomorrow morning afternoon evening
    night week weeks month months year years monday tuesday wednesday thursday friday saturday
    sunday january february march july september october november december
    bank agency manager managers assistant associate director nurse nurses doctor doctors
    consultant consultants psychiatrist psychiatrists therapist therapists worker workers
    coordinator co-ordinator support care social key staff sister matron student students
    who's he's she's i'm i've please thanks thank sorry ok okay well however after before
    dr mr mrs ms miss mx prof professor gp cpn
    back security police ambulance round over out up off down us him someone somebody nobody
    everyone anyone again ahead twice once immediately straight
    receptionist receptionists pharmacist pharmacists advocate advocates paramedic paramedics
    officer officers midwife midwives visitor visitors psychologist psychologists counsellor
    counsellors counselor clinician clinicians hca ot psychotherapist psychotherapists physio
    registrar registrars houseman junior senior locum duty on-call
    """.split()
)
_NAME_AFTER = rf"(?P<name>(?:{_INITIAL}\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
_TITLE_WORD = rf"(?:{_NAME_WORD}|{_CAPS_WORD})"
_NAME_AFTER_TITLE = rf"(?P<name>(?:{_INITIAL}\s+)?{_TITLE_WORD}(?:\s+{_TITLE_WORD})?)"
# The name may end in a possessive ("Dr Smith's") but not run into more letters.
_NAME_END = r"(?!\w)(?!['’](?![sS]\b))"
_TITLE_NAME_RE = re.compile(rf"(?<![\w])(?P<lead>{_TITLES}\.?\s+){_NAME_AFTER_TITLE}{_NAME_END}")
# Text typed all in lower case: "dr smith", "mrs patel". Only the unambiguous titles (not "miss",
# "ms"), and the word must not be an ordinary word ("dr said", "mr motivator" is a name anyway).
_LOWER_TITLE_NAME_RE = re.compile(
    rf"(?<![\w])(?P<lead>(?:dr|mr|mrs|mx|prof)\.?\s+)(?P<name>[{_LOW}][{_LOW}'’\-]+){_NAME_END}"
)
_ROLE_NAME_RE = re.compile(
    rf"(?<![\w])(?P<lead>(?i:{_ROLES})(?:\s*,\s*|\s+(?i:called|named|is|was)\s+|\s+)){_NAME_AFTER}"
    rf"{_NAME_END}"
)
# "a nurse called jane": after "called"/"named" a lower-case name is still a name.
_CALLED_NAME_RE = re.compile(
    rf"(?<![\w])(?P<lead>(?i:{_ROLES})\s+(?i:called|named)\s+)(?P<name>[{_LOW}]{{2,}}){_NAME_END}"
)

# Ordinary lower-case words that can follow "dr"/"mr"/"mrs" in lower-case text.
_COMMON_WORDS = frozenset(
    """
    about above across actually advice advised after again against ago all almost alone along
    already although am among another any anything appt appts arrived asap away bad barely
    became because been being believe best better between both brought busy came cancelled
    cannot cant care cared changed checked clearly come comes coming completely consultation
    could couldnt couldn't dealt decided definitely denied did didnt diagnosed didn't discharged
    does doesnt doesn't doing done dont each easy either else emailed end ended enough even ever
    every everything explained far felt few finally first fine found gave get gets getting give
    given gives go goes going gone good got great had hadnt hardly has hasnt hasn't have having
    heard help helped helpful how ignored increased instead isnt isn't just kept kind knew know
    knows last later least left less let letter letters like listen listened listens little
    long look looked lot made make makes many maybe might missed more most much must need
    needed needs new next nice none nor note notes nothing now office often ok once one only
    other others otherwise out over own phoned prescribed probably put quite rang rarely rather
    read really referred refused reviewed right rude rushed same saw say see seemed seems seen
    sees sent should show shown simply since some something sometimes soon spent spoke still
    stopped such suggested sure take taken takes talk talked tells than that's then there these
    thing things think those though thought through till told took totally treated tried tries
    try trying twice understand understood until upon us used usually visit visited wait waited
    want wanted wants wasnt wasn't way went weren't whatever whenever whether while whole why
    wont won't work worked works worse would wouldnt wouldn't wrote yet
    """.split()
)
# Every title and role pattern ends in one of these words (lower-cased): a text without any of
# them skips the name patterns entirely, which is most of the cost of redacting many answers.
_TITLE_WORDS = frozenset("dr mr mrs ms miss mx prof professor doctor sister matron".split())
_LOWER_TITLE_WORDS = frozenset("dr mr mrs mx prof".split())
_ROLE_WORDS = frozenset(
    """
    dr doctor sister matron nurse coordinator ordinator cpn psychiatrist psychologist worker
    consultant therapist counsellor counselor counseller keyworker gp visitor
    midwife pharmacist advocate manager receptionist hca practitioner clinician ot
    psychotherapist paramedic officer
    """.split()
)
NAME_TRIGGER_WORDS = _TITLE_WORDS | _ROLE_WORDS
# Word lists shared with analysis.privacy.first_names (words that are never a name on their own).
NOT_NAMES = _NOT_NAMES
COMMON_WORDS = _COMMON_WORDS
_NON_SPACE_RE = re.compile(r"\S+")


def _scan_names(
    pattern: re.Pattern[str], text: str, decide: Callable[[str], int | None]
) -> tuple[str, int]:
    """Replace the "name" group of each match by [NAME] when `decide(name)` says how much of it.

    `decide` returns how many characters of the name to replace, or None to leave it. Scanning
    goes on from the start of a rejected name (or the end of the replaced part), so a rejected
    or partly kept match never hides the next title ("Mr Smith Mr Jones").
    """
    pieces: list[str] = []
    pos = last = count = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start("name")
        keep = decide(m.group("name"))
        if keep is None:
            pos = start
            continue
        pieces += [text[last:start], NAME_PLACEHOLDER]
        last = pos = start + keep
        count += 1
    if not count:
        return text, 0
    pieces.append(text[last:])
    return "".join(pieces), count


def _name_length(name: str) -> int | None:
    """How much of a capitalised candidate is a name: up to the first ordinary word."""
    kept_end = 0
    for w in _NON_SPACE_RE.finditer(name):
        if w.group().lower().rstrip(".") in _NOT_NAMES:
            break
        kept_end = w.end()
    kept = name[:kept_end]
    # A bare initial ("Dr J") is not enough to call it a name.
    if not kept or all(len(w.rstrip(".")) == 1 for w in kept.split()):
        return None
    return kept_end


def _lower_name_length(name: str) -> int | None:
    """A lower-case word after a title is a name unless it is an ordinary word."""
    word = name.lower()
    if word in _NOT_NAMES or word in _COMMON_WORDS or len(word) < 3:
        return None
    return len(name)


def sub_names(text: str, words: set[str]) -> tuple[str, int]:
    """Replace a name after a title or a care role, keeping the title/role words.

    `words` are the lower-cased words of the text; patterns whose trigger words are absent are
    skipped (the regexes are the slow part of redacting many answers).
    """
    has_title = not _TITLE_WORDS.isdisjoint(words)
    has_role = not _ROLE_WORDS.isdisjoint(words)
    passes = (
        (has_title, _TITLE_NAME_RE, _name_length),
        (has_role, _ROLE_NAME_RE, _name_length),
        (
            has_role and not words.isdisjoint(("called", "named")),
            _CALLED_NAME_RE,
            _lower_name_length,
        ),
        (not _LOWER_TITLE_WORDS.isdisjoint(words), _LOWER_TITLE_NAME_RE, _lower_name_length),
    )
    total = 0
    for wanted, pattern, decide in passes:
        if wanted:
            text, n = _scan_names(pattern, text, decide)
            total += n
    return text, total
