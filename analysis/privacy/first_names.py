"""Bare first names ("Sarah said the nurse...", "Tian was very kind"): part of analysis.privacy.redaction.

The list: the first names of Faker's person providers (MIT licence, pinned in requirements.txt, read
from the installed package: nothing is downloaded) for the locales most NHS patients, carers and
staff in England name themselves from (`LOCALES`), plus `EXTRA_NAMES`: UK short forms and common
names those lists lack. About 7,000 names, held as one frozenset of lower-case words.

A name that is also an ordinary word (`ORDINARY_WORDS`: Will, Hope, May, Rose, Mark, Bill, Grace,
Faith, Joy, Dawn, Sue, Pat, Frank, ...) is redacted only when the context says it is a name:
  - a word before it that introduces a person: called, named, thanks, thank you, spoke to, my son,
    my daughter, ... (`_BEFORE_NAME`);
  - a verb after it that a person does: said, told, asked, rang, helped, from, was, is, ...
    (`_PERSON_VERBS`); for abstract nouns and months (`_WEAK_WORDS`: Hope, Faith, Joy, May, June,
    ...), "was"/"is" is not enough ("Hope is what kept me going"), only what a person does;
  - a capital letter in the middle of a sentence ("I told Will that..."), unless after "the", "a"
    and the like, for months and days, or in text written in title case;
  - a possessive ("Will's"), or "and" joining it to a name already found ("Grace and Tom").
Any other name is redacted when capitalised, except before a place word ("Rowan Ward", "Victoria
station", "Lincoln House") or after "the"/"a"; in lower case only with the same context as above
("thanks to jess", "a lady called maria", "sarah said"). A capitalised word right after a redacted
first name that is not an ordinary word is taken as the surname ("Emma Wilson" -> "[NAME]").
Measured on tests/privacy/data/bare_names.tsv (recall and false redactions: README, Privacy).
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
import unicodedata

from analysis.privacy.names import COMMON_WORDS, NAME_PLACEHOLDER, NOT_NAMES

log = logging.getLogger(__name__)

# Faker locales whose first names are read (Latin script only; Faker's own words, pinned version).
LOCALES = (
    "en_GB en_IE ga_IE en_US en_NZ en_IN en_PK en_KE en_NG yo_NG ig_NG ha_NG tw_GH "
    "pl_PL ro_RO pt_PT es_ES it_IT fr_FR de_DE zh_CN"
).split()
_FAKER_ATTRS = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
    "first_romanized_names",
)
# Common in England, missing from those lists: short forms, and South Asian, West African, Chinese
# and Polish given names (a fixed list, chosen for feedback in general).
EXTRA_NAMES = frozenset(
    """
    will may pat jess bev steph kev mo baz gaz kaz shaz tel del mick mags sal liz lizzy jen becca
    bex nat tash sammy frankie jonny danny andy pete phil ricky em ems katie kath cath deb debs
    jackie mandy trish tracey shaun wayne darren gavin craig stu rosie annie millie becky gemma
    deepak sunita shabana rajesh raj anil sanjay nisha pooja ravi amit arjun nadia shazia nasreen
    rukhsana tahir imran asif zubair farhan naveed sajid khalid bilal usman ayesha aisha nazia
    oluwaseun tunde chidi emeka ngozi funmi tolu bisi kemi yemi segun kofi kwabena tendai tatenda
    tian hui xin hao mei ying jia zhen qing wei jun lin
    kasia gosia basia tomek marek bartek ionut
    """.split()
)
# Names that are also ordinary English words: a name only when the context says so.
ORDINARY_WORDS = frozenset(
    """
    will may can mark bill hope rose grace faith joy dawn sue pat frank gene art rob jack nick
    chuck don ray guy drew dean grant lance miles rich chase chance cliff dale glen heath reed wade
    rod max sandy rusty dusty bud buck penny ruby jade pearl amber crystal holly ivy iris violet
    olive lily poppy daisy heather hazel ginger honey candy sugar precious lucky sunny misty
    stormy windy merry charity mercy patience prudence serenity harmony destiny trinity liberty
    justice unique genesis miracle victory blessing comfort innocent purity peace love star sky
    river storm rain summer winter autumn spring sunday monday tuesday wednesday thursday friday
    saturday january february march april june july august september october november december
    christmas easter eve noel major royal little long young early golden noble sterling ever
    even amen page king queen prince princess duke earl baron bishop pastor doctor sister nurse
    captain general judge lawyer baby infant son man male lady mad sad said till else edit job
    peer nail raid harm harsh grit loot lore sole forum gang fang marine mason cooper carter
    parker hunter archer piper fletcher baker butler porter tucker turner walker taylor hall hill
    wood ward west north brook stone hardy bliss fancy free faith destiny raven robin willow
    rosemary lavender coral diamond ebony pearl jewel angel ace august april june eden corona
    german danish india paris victoria florence jordan austin devon kingston lincoln chester
    christian urban rex tanner cash cole colt dallas dakota denver houston phoenix sierra
    savannah brooklyn aspen sage ash jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
# Ordinary words for which "was"/"is" after them is no sign of a name (abstract nouns, months).
_WEAK_WORDS = frozenset(
    """
    hope faith grace joy charity mercy patience prudence serenity harmony destiny trinity liberty
    justice unique genesis miracle victory blessing comfort peace love precious
    january february march april may june july august september october november december
    sunday monday tuesday wednesday thursday friday saturday christmas easter summer winter
    autumn spring
    """.split()
)
_CALENDAR = frozenset(
    """
    january february march april may june july august september october november december
    sunday monday tuesday wednesday thursday friday saturday christmas easter
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
# What a person does: after a candidate, a sign it is a name.
_PERSON_VERBS = frozenset(
    """
    said says told tells asked asks explained explains rang rings phoned phones called calls
    emailed emails texted helped helps listened listens came comes went visited visits arranged
    sorted shouted checked checks talked talks spoke speaks gave gives took takes made makes kept
    left sat stayed supported supports answered picked understood treated referred prescribed
    wrote seemed looked got put did does didn't doesn't never always really just also from
    """.split()
)
_BEING_VERBS = frozenset("was is has had".split())
# What introduces a person: before a candidate, a sign it is a name.
_BEFORE_NAME = frozenset(
    """
    called named thank thanks cheers son daughter mum mom dad husband wife partner brother sister
    friend nan nana gran grandma grandad grandson granddaughter niece nephew boyfriend girlfriend
    carer colleague cousin auntie aunt uncle dear
    """.split()
)
_AFTER_TO = frozenset(
    "spoke speak speaking talk talked talking chat chatted chatting thanks thank go went".split()
)
_BY_WITH = frozenset("by with saw see seen met meet ask asked tell told".split())
_DETERMINERS = frozenset("the a an our their your its".split())
_PLACE_WORDS = frozenset(
    """
    ward wards unit house centre center hospital road street lane court lodge clinic suite building
    surgery practice park avenue room station college school university trust foundation hall
    """.split()
)
_NEVER_SURNAME = COMMON_WORDS | NOT_NAMES | _PLACE_WORDS | ORDINARY_WORDS
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE_RE = re.compile(r"['’][sS]$")
_SENTENCE_BREAK = frozenset('.!?:;\n"“(•*')


@functools.cache
def first_names() -> frozenset[str]:
    """Every first name known, lower-case (Faker's lists for LOCALES plus EXTRA_NAMES)."""
    found: set[str] = set(EXTRA_NAMES)
    for locale in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # a locale dropped by a later Faker: the others still count
            log.warning("Faker has no person provider for %s", locale)
            continue
        for attr in _FAKER_ATTRS:
            for klass in provider.__mro__:
                if attr in klass.__dict__:
                    values = klass.__dict__[attr]
                    if isinstance(values, (tuple, list, dict)):
                        found.update(str(v).lower() for v in values)
                    break
    return frozenset(_fold(n) for n in found if _TOKEN_RE.fullmatch(n) and len(n) >= 2)


@functools.cache
def ambiguous_names() -> frozenset[str]:
    """Names that are also ordinary words (redacted only when the context says name)."""
    return first_names() & (ORDINARY_WORDS | COMMON_WORDS | NOT_NAMES)


def _fold(word: str) -> str:
    """A lower-case word without accents ("zoë" -> "zoe"), as the name list is matched."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _shape(word: str) -> str:
    """ "title" (Sarah, Mary-Jane), "lower" (sarah) or "other" (SARAH, McDonald)."""
    parts = word.split("-")
    if all(p[:1].isupper() and (p[1:].islower() or len(p) == 1) for p in parts):
        return "title"
    return "lower" if word.islower() else "other"


class _Tokens:
    """The words of a text with their spans, and the context tests the rules need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
        self.words = [text[s:e] for s, e in self.spans]
        self.lower = [w.lower() for w in self.words]
        titled = sum(1 for w in self.words if w[:1].isupper())
        self.title_case = len(self.words) >= 5 and titled >= 0.6 * len(self.words)

    def starts_sentence(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.text[self.spans[i - 1][1] : self.spans[i][0]]
        return any(ch in _SENTENCE_BREAK for ch in gap)

    def joined(self, i: int) -> bool:
        """True when nothing but spaces (and at most a comma) lies between word i-1 and word i."""
        gap = self.text[self.spans[i - 1][1] : self.spans[i][0]]
        return gap.strip() in ("", ",")

    def before(self, i: int, k: int = 1) -> str:
        return self.lower[i - k] if i - k >= 0 and self.joined(i - k + 1) else ""

    def after(self, i: int) -> str:
        return self.lower[i + 1] if i + 1 < len(self.words) and self.joined(i + 1) else ""


def _context_says_name(tok: _Tokens, i: int, key: str, possessive: bool) -> bool:
    """Does the context around word i mark it as a person's name?"""
    prev, prev2, nxt = tok.before(i), tok.before(i, 2), tok.after(i)
    calendar = key in _CALENDAR
    if prev in _BEFORE_NAME or (prev == "you" and prev2 in ("thank", "thanks")):
        return True
    if prev == "to" and prev2 in ("thanks", "thank"):
        return True
    if not calendar and (
        (prev in ("to", "with") and prev2 in _AFTER_TO) or (prev in _BY_WITH and prev2 != "the")
    ):
        return True
    if nxt in _PERSON_VERBS or (nxt in _BEING_VERBS and key not in _WEAK_WORDS):
        return True
    if possessive and key not in _WEAK_WORDS:
        return True
    return False


def _decide(tok: _Tokens, i: int, names: frozenset[str], ambiguous: frozenset[str]) -> bool:
    """Is word i a first name to redact?"""
    word = _POSSESSIVE_RE.sub("", tok.words[i])
    possessive = word != tok.words[i]
    parts = [_fold(p) for p in word.lower().split("-")]
    if not any(p in names for p in parts):
        return False
    key = parts[0] if parts[0] in names else parts[-1]
    shape = _shape(word)
    if shape == "other" or tok.after(i) in _PLACE_WORDS:
        return False
    determiner = tok.before(i) in _DETERMINERS
    if all(p in ambiguous for p in parts if p in names):
        if _context_says_name(tok, i, key, possessive) and shape == "title":
            return not determiner
        # Capitalised mid-sentence, not inside a run of capitalised words ("Christmas Eve").
        mid = (
            shape == "title"
            and not tok.starts_sentence(i)
            and not tok.title_case
            and not tok.words[i - 1][:1].isupper()
        )
        return mid and not determiner and key not in _CALENDAR and tok.before(i) != "my"
    if shape == "title":
        return not determiner
    return len(key) >= 3 and _context_says_name(tok, i, key, possessive)


def _surname_follows(tok: _Tokens, i: int) -> bool:
    """Is word i+1 a surname of the name at i ("Emma Wilson")?"""
    j = i + 1
    if j >= len(tok.words) or tok.text[tok.spans[i][1] : tok.spans[j][0]] != " ":
        return False
    word = _POSSESSIVE_RE.sub("", tok.words[j])
    low = word.lower()
    return (
        _shape(word) == "title"
        and low not in _NEVER_SURNAME
        and low not in _PERSON_VERBS
        and low not in ambiguous_names()
    )


def sub_first_names(text: str, words: set[str]) -> tuple[str, int]:
    """Replace bare first names (and a surname right after one) by [NAME]; `words` are the text's
    lower-case words (a text holding no known name is returned at once)."""
    names = first_names()
    ambiguous = ambiguous_names()
    # `words` are ASCII words: a text with accented letters ("Zoë") is always looked at. Otherwise
    # only a name written with a capital, or an unambiguous one in lower case, can be redacted: most
    # answers hold only ordinary words like "will" and "hope" in lower case, and skip the scan.
    if text.isascii():
        found = names.intersection(words)
        if not found or not any(w not in ambiguous or w.capitalize() in text for w in found):
            return text, 0
    tok = _Tokens(text)
    chosen = [_decide(tok, i, names, ambiguous) for i in range(len(tok.words))]
    # "Grace and Tom": an ordinary-word name joined by "and" to a name found is a name too.
    for i, word in enumerate(tok.words):
        if chosen[i] or _shape(word) != "title" or _fold(word.lower()) not in names:
            continue
        left = i >= 2 and tok.before(i) == "and" and chosen[i - 2]
        right = i + 2 < len(tok.words) and tok.after(i) == "and" and chosen[i + 2]
        chosen[i] = bool(left or right)
    pieces: list[str] = []
    last = count = 0
    i = 0
    while i < len(tok.words):
        if not chosen[i]:
            i += 1
            continue
        start, end = tok.spans[i]
        end = start + len(_POSSESSIVE_RE.sub("", tok.words[i]))
        if _surname_follows(tok, i):
            s2, _e2 = tok.spans[i + 1]
            end = s2 + len(_POSSESSIVE_RE.sub("", tok.words[i + 1]))
            i += 1
        pieces += [text[last:start], NAME_PLACEHOLDER]
        last = end
        count += 1
        i += 1
    if not count:
        return text, 0
    pieces.append(text[last:])
    return "".join(pieces), count
