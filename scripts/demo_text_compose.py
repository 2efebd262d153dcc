"""What demo respondents write: answers composed from demo_text_bank fragments, in many voices.

An AnswerWriter shares the generator's random.Random, so the whole file stays deterministic.
"""

from __future__ import annotations

import random
import re

import demo_text_bank as bank
from demo_survey_design import OFF_TOPIC_P, Q_BETTER, Q_ELSE, Q_GOOD

from analysis.core import config


def cap(s: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower-case the rest)."""
    return s[:1].upper() + s[1:] if s else s


def _decap(s: str) -> str:
    """Lower-case the first letter unless the first word is "I...", an acronym or has digits."""
    if not s or not s[0].isupper():
        return s
    first = s.split(" ", 1)[0].rstrip(",.!?:;")
    if first in ("I", "I'm", "I've", "I'd", "I'll") or first.startswith(("I’", "Dr")):
        return s
    if len(first) > 1 and (
        first.isupper() or not first.isalpha() and not first.replace("'", "").isalpha()
    ):
        return s  # GP, CAMHS, A&E, CBT, 111
    if first in _PROPER_NOUNS:
        return s
    return s[0].lower() + s[1:]


_PROPER_NOUNS = frozenset(
    (
        *config.GM_BOROUGHS,
        "Living",
        "Talking",
        "Ramadan",
        "Christmas",
        "Teams",
        "Urdu",
        "Polish",
        "Universal",
    )
)
_SENTENCE_START = re.compile(r"([.!?] +)([a-z])")  # a slot such as {gp} can start a sentence
_ALL_TAGS = tuple(sorted({tag for tags in bank.TAGS.values() for tag in tags}))
_ALL_LEADS = tuple(sorted({lead.lower() for leads in bank.LEAD_INS.values() for lead in leads}))


class _Slots(dict):
    """Slot values for one answer: fixed per respondent, drawn lazily (and once) otherwise."""

    __slots__ = ("rng",)

    def __init__(self, base: dict, rng: random.Random) -> None:
        super().__init__(base)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        values = bank.SLOT_VALUES.get(key)
        if values is None:
            raise KeyError(key)
        value = values[int(self.rng.random() * len(values))]
        self[key] = value
        return value


def _pools() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Fragments by (theme, polarity, voice); service users and carers also use voice-neutral ones."""
    pools: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for theme, by_pol in bank.THEMES.items():
        for pol, by_voice in by_pol.items():
            anyv = by_voice.get("any", ())
            for voice in ("su", "carer", "staff"):
                own = by_voice.get(voice, ())
                pool = own + anyv if voice != "staff" else own + (anyv if pol == "suggest" else ())
                pools[(theme, pol, voice)] = pool or anyv
    return pools


POOLS = _pools()
THEME_IDS = tuple(config.CORE_THEME_IDS)


def relative_slots(service: str, rng: random.Random) -> dict[str, str]:
    """Slots for the relative a carer writes about (noun, pronouns, verb agreement)."""
    if service == "CAMHS transition" or (
        service == "Eating Disorders service" and rng.random() < 0.6
    ):
        options = bank.RELATIVES_YOUNG
    elif service == "Older adults service":
        options = bank.RELATIVES_OLDER
    else:
        options = bank.RELATIVES_ADULT
    noun, they, them, their, was, is_, has, does = rng.choice(options)
    plural = they == "they"
    return {
        "rel": noun,
        "Rel": cap(noun),
        "they": they,
        "They_cap": cap(they),
        "them": them,
        "their": their,
        "Their_cap": cap(their),
        "was": was,
        "is": is_,
        "has": has,
        "does": does,
        "s": "" if plural else "s",
        "es": "" if plural else "es",
    }


class AnswerWriter:
    """Composes one respondent's answers: themes, polarity, fragments, and their writing habits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _fragment(
        self,
        theme: str,
        pol: str,
        voice: str,
        slots: _Slots,
        used: set[str],
        dress: bool = True,
    ) -> str:
        rng = self.rng
        pool = (
            POOLS.get((theme, pol, voice))
            or POOLS[(theme, "pos" if pol != "pos" else "suggest", voice)]
        )
        for _ in range(4):  # people rarely say the same sentence twice in one answer
            template = pool[int(rng.random() * len(pool))]
            if template not in used:
                break
        used.add(template)
        text = cap(template.format_map(slots)) if "{" in template else template
        r = rng.random() if dress else 1.0
        if r < 0.12:  # the small additions that make two people's sentences differ
            lead = rng.choice(bank.LEAD_INS[pol])
            text = lead + (text if lead[-2] in ".?" else _decap(text))
        elif r < 0.24:
            text = text + rng.choice(bank.TAGS[pol])
        return text

    def _polarity(self, question: str, mood: str, theme: str, person: dict) -> str:
        rng = self.rng
        if theme == "positive_experience":
            return "pos" if question != Q_BETTER else "suggest"
        if theme == "access" and person["access_improved"] and rng.random() < 0.5:
            return "pos"
        if question == Q_GOOD:
            return "pos" if rng.random() < 0.9 else "neg"
        if question == Q_BETTER:
            return "suggest" if rng.random() < (0.55 if mood == "pos" else 0.3) else "neg"
        return {"pos": "pos", "neg": "neg"}.get(mood) or ("pos" if rng.random() < 0.4 else "neg")

    def _choose_themes(self, k: int, person: dict, question: str, mood: str) -> list[str]:
        rng = self.rng
        chosen: list[str] = []
        tries = 0
        while len(chosen) < k and tries < 12:
            tries += 1
            if rng.random() < 0.6:
                theme = person["main"][int(rng.random() * len(person["main"]))]
            else:
                theme = person["weights"].pick(rng)
            if theme == "positive_experience" and (question == Q_BETTER or mood == "neg"):
                continue
            if question == Q_GOOD and theme != "positive_experience" and rng.random() < 0.12:
                theme = "positive_experience"
            if theme not in chosen:
                chosen.append(theme)
        return chosen or ["staff_behaviour"]

    def _story(self, person: dict) -> tuple[str, tuple[str, ...]] | None:
        """A whole story about the respondent's own concerns, when one fits (None otherwise)."""
        stories = [
            st
            for st in bank.STORIES[person["voice"]]
            if not (person["access_improved"] and "access" in st[1])
            and any(t in st[1] for t in person["main"])
        ]
        return self.rng.choice(stories) if stories else None

    def answer(self, question: str, person: dict) -> tuple[str, list[str]]:
        """Compose one answer; return the text and the labels it was built from.

        Long on purpose: it reads as the one recipe of an answer, and the order of its random draws
        fixes the committed demo files byte for byte (tests/scripts check them), so it is kept whole.
        """
        rng = self.rng
        mood, voice, slots = (
            person["mood"],
            person["voice"],
            _Slots(person["slots"], rng),
        )
        r = rng.random()
        # Short answers: no content, or a one-liner.
        if r < 0.07 + (0.06 if question == Q_ELSE else 0.0):
            return bank.NO_CONTENT_ANSWERS[int(rng.random() * len(bank.NO_CONTENT_ANSWERS))], [
                "no_content"
            ]
        if question == Q_GOOD and r < 0.16:
            if mood == "neg":
                return rng.choice(bank.SHORT_NEGATIVE), ["no_content"]
            return rng.choice(bank.SHORT_POSITIVE), ["positive_experience"]
        if question == Q_BETTER and mood == "pos" and r < 0.22:
            return rng.choice(bank.THEMES["positive_experience"]["suggest"]["any"]), [
                "positive_experience"
            ]

        labels: list[str] = []
        parts: list[str] = []
        used: set[str] = set()
        if rng.random() < OFF_TOPIC_P[question]:
            topic = rng.choice(tuple(bank.OFF_TOPIC))
            labels.append(f"other:{topic}")
            sentence = rng.choice(bank.OFF_TOPIC[topic])
            if voice == "staff":  # staff pass on what patients tell them
                sentence = rng.choice(bank.STAFF_REPORTING) + _decap(sentence)
            parts.append(sentence)
            if rng.random() < 0.5:
                return self.style(" ".join(parts), person, mood), labels

        length = rng.random()
        if question != Q_GOOD and length > 0.68 and rng.random() < 0.25:  # a whole story
            story = self._story(person)
            if story is not None:
                text, themes = story
                text = _SENTENCE_START.sub(
                    lambda m: m.group(1) + m.group(2).upper(), text.format_map(slots)
                )
                return self.style(cap(text), person, mood), [*labels, *themes]
        if length < 0.25:  # one theme, one sentence
            k, per_theme, extras = 1, 1, False
        elif length < 0.68:  # medium
            k = 2 if rng.random() < 0.2 else 1
            per_theme, extras = (2 if rng.random() < 0.35 else 1), rng.random() < 0.25
        else:  # long story
            x = rng.random()
            k = 1 if x < 0.45 else (2 if x < 0.85 else 3)
            per_theme, extras = 2, True
        themes = self._choose_themes(k, person, question, mood)
        mixed_turn = mood == "mixed" and len(themes) > 1 and rng.random() < 0.8

        context = None
        if extras and rng.random() < 0.45:
            context = cap(rng.choice(bank.CONTEXT[voice]).format_map(slots))
        pols: list[str] = []
        for i, theme in enumerate(themes):
            if mixed_turn:
                pol = "pos" if i == 0 else ("neg" if theme != "positive_experience" else "pos")
            else:
                pol = self._polarity(question, mood, theme, person)
            pols.append(pol)
            labels.append(theme)
            n = per_theme if (per_theme == 1 or rng.random() < 0.6) else 1
            joined = mixed_turn and i == 1 and bool(parts) and pol == "neg"
            sentences = [
                self._fragment(theme, pol, voice, slots, used, dress=not (joined and j == 0))
                for j in range(n)
            ]
            if pol == "neg" and question != Q_GOOD and rng.random() < 0.3:
                sentences.append(self._fragment(theme, "suggest", voice, slots, used))
            if joined and parts[-1].endswith(_ALL_TAGS):
                joined = False
            if joined:
                prev = parts.pop().rstrip(".!")
                sentences[0] = prev + rng.choice(bank.CONTRASTS) + _decap(sentences[0])
            elif parts and rng.random() < 0.18 and not sentences[0].lower().startswith(_ALL_LEADS):
                sentences[0] = rng.choice(bank.LINKS) + _decap(sentences[0])
            parts.extend(sentences)
        tone = pols[0] if len(set(pols)) == 1 else "mixed"
        tone = (
            "pos" if tone == "suggest" and mood == "pos" else ("neg" if tone == "suggest" else tone)
        )
        if context:
            parts.insert(0, context)
        if extras and rng.random() < 0.3:
            opener = rng.choice(bank.OPENERS[tone])
            parts[0] = opener + " " + (_decap(parts[0]) if opener[-1] not in ".?!" else parts[0])
        if extras and rng.random() < 0.45:
            parts.append(rng.choice(bank.CLOSERS[tone]))
        if extras and len(parts) > 3 and rng.random() < 0.15:  # paragraphs, as people type them
            cut = rng.randrange(1, len(parts))
            text = " ".join(parts[:cut]) + "\n\n" + " ".join(parts[cut:])
        else:
            text = " ".join(parts)
        return self.style(text, person, mood), labels

    def style(self, text: str, person: dict, mood: str) -> str:
        """Apply the respondent's writing habits: texting style, typos, curly quotes, shouting."""
        rng = self.rng
        style = person["style"]
        if style["typos"] and rng.random() < 0.7:
            words = text.split(" ")
            for _ in range(1 + (rng.random() < 0.4)):
                i = rng.randrange(len(words))
                core = words[i].strip(".,!?")
                if core in bank.TYPOS:
                    words[i] = words[i].replace(core, rng.choice(bank.TYPOS[core]))
                elif len(core) > 5 and core.isalpha():  # swap two letters
                    j = rng.randrange(1, len(core) - 2)
                    swapped = core[:j] + core[j + 1] + core[j] + core[j + 2 :]
                    words[i] = words[i].replace(core, swapped)
            text = " ".join(words)
        if style["texting"]:
            text = (
                text.lower().replace("i'm", "im").replace("don't", "dont").replace(" you ", " u ")
            )
            text = text.replace("because", "cos").replace("didn't", "didnt").replace("i've", "ive")
            if rng.random() < 0.6:
                text = text.rstrip(".")
            text = text.replace(". ", " ") if rng.random() < 0.4 else text
        if style["curly"]:
            text = text.replace("'", "’")
        if mood == "neg" and style["shouty"] and rng.random() < 0.5:
            text = text.replace(".", "!", 1) if rng.random() < 0.5 else text.rstrip(".") + "!!!"
            text = (
                text.replace("nobody", "NOBODY")
                .replace("never", "NEVER")
                .replace("Nobody", "NOBODY")
            )
        return text
