"""Redaction: planted personal data is replaced by typed placeholders; ordinary text is not."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.privacy import (
    PLACEHOLDERS,
    REDACTION_TYPES,
    Redaction,
    nhs_number_is_valid,
    redact_series,
    redact_series_with_counts,
    redact_text,
)
from tests.property_budget import examples

VALID_NHS = ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137", "485 777 3457"]
# 485 777 3456 is often shown as a format example, but its check digit should be 7.
INVALID_NHS = ["943 476 5918", "1234567890", "485 777 3456"]


def _counts(text: str) -> dict[str, int]:
    return {k: v for k, v in redact_text(text).counts.items() if v}


@pytest.mark.parametrize("number", VALID_NHS)
def test_valid_nhs_numbers_pass_modulus_11(number: str) -> None:
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize("number", [*INVALID_NHS, "", "12345", "94347659190", "abc"])
def test_invalid_nhs_numbers_fail_modulus_11(number: str) -> None:
    assert not nhs_number_is_valid(number)


def test_check_digit_rules() -> None:
    # weighted sum 2 -> 11 - 2 = 9; weighted sum 0 -> 11 -> check digit 0
    assert nhs_number_is_valid("0000000019")
    assert nhs_number_is_valid("0000000000")
    # first digit 1 (weight 10): 11 - 10 = 1
    assert nhs_number_is_valid("1000000001")
    # weighted sum 1 needs check 10, which is never issued: no last digit makes it valid.
    # 0000000 0 x: weight 2 on digit 9 is 2*... use digit 6 at weight 2 -> 12 % 11 = 1.
    assert not any(nhs_number_is_valid(f"00000000 6{d}".replace(" ", "")) for d in range(10))


@pytest.mark.parametrize("number", VALID_NHS)
def test_nhs_number_redacted(number: str) -> None:
    r = redact_text(f"My NHS number is {number}, please check it.")
    assert r.text == "My NHS number is [NHS NUMBER], please check it."
    assert r.counts["nhs_number"] == 1


def test_invalid_ten_digits_not_called_nhs_number() -> None:
    assert redact_text("ref 943 476 5918").text == "ref 943 476 5918"
    assert redact_text("1234567890").text == "1234567890"
    # ten digits that fail the check but look like a UK phone number are redacted as a phone
    r = redact_text("ring 0123 456789 after 5")
    assert r.text == "ring [PHONE] after 5" and r.counts["phone"] == 1


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "0161 496 0123",
        "(0161) 4960123",
        "(0161) 496 0123",
        "01632 960001",
        "020 7946 0958",
        "0800 123 4567",
        "0800 123456",
        "0845 123 4567",
        "0300 123 4567",
        "+1 415 555 2671",
    ],
)
def test_phone_numbers_redacted(phone: str) -> None:
    r = redact_text(f"Call me on {phone} any time.")
    assert r.text == "Call me on [PHONE] any time."
    assert r.counts["phone"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tel07700900123", "tel[PHONE]"),  # glued to a word
        ("mob: ０７７００ ９００１２３", "mob: [PHONE]"),  # full-width digits
        ("NHS no 943.476.5919", "NHS no [NHS NUMBER]"),
        ("+44 (0) 161 496 0123", "[PHONE]"),
    ],
)
def test_awkward_formats(text: str, expected: str) -> None:
    assert redact_text(text).text == expected


def test_several_phones_next_to_each_other() -> None:
    r = redact_text("on 12 May 07700 900123 and 0161 496 0123 0161 496 0124.")
    assert r.text == "on 12 May [PHONE] and [PHONE] [PHONE]."
    assert r.counts["phone"] == 3


@pytest.mark.parametrize(
    "email",
    ["jane.doe@nhs.net", "j_o'neil+x@example.co.uk", "A.B@Mail.Example.ORG", "zoë@exämple.com"],
)
def test_emails_redacted(email: str) -> None:
    r = redact_text(f"Email {email}.")
    assert r.text == "Email [EMAIL]."
    assert r.counts["email"] == 1


@pytest.mark.parametrize(
    "postcode",
    ["M1 1AE", "BL1 1AA", "SK4 3QR", "m14 5rr", "GIR 0AA", "M11AE", "EC1A 1BB", "W1A 0AX"],
)
def test_postcodes_redacted(postcode: str) -> None:
    r = redact_text(f"I live at {postcode} near the park")
    assert r.text == "I live at [POSTCODE] near the park"
    assert r.counts["postcode"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr Smith was lovely", "Dr [NAME] was lovely"),
        ("Dr. Jane Smith listened", "Dr. [NAME] listened"),
        ("Dr J. Smith listened", "Dr [NAME] listened"),
        ("Mr Jones, Mrs Patel and Ms Khan", "Mr [NAME], Mrs [NAME] and Ms [NAME]"),
        ("Miss Brown, Mx Lee", "Miss [NAME], Mx [NAME]"),
        ("Prof Green and Professor Black", "Prof [NAME] and Professor [NAME]"),
        ("nurse Jane was kind", "nurse [NAME] was kind"),
        ("Nurse Jane Doe was kind", "Nurse [NAME] was kind"),
        ("my care coordinator Sarah never rang", "my care coordinator [NAME] never rang"),
        ("my CPN Dave is great", "my CPN [NAME] is great"),
        ("my CPN, Dave, is great", "my CPN, [NAME], is great"),
        ("psychiatrist Dr Patel", "psychiatrist Dr [NAME]"),
        ("the social worker Tom helped", "the social worker [NAME] helped"),
        ("consultant Ahmed", "consultant [NAME]"),
        ("therapist Jo", "therapist [NAME]"),
        ("key worker Mo", "key worker [NAME]"),
        ("support worker Kelly", "support worker [NAME]"),
        ("a doctor called Smith", "a doctor called [NAME]"),
        ("a nurse called jane", "a nurse called [NAME]"),
        ("Dr Smith's clinic", "Dr [NAME]'s clinic"),
        ("Dr O'Neil and Dr Smith-Jones", "Dr [NAME] and Dr [NAME]"),
        ("Dr Smith Said no", "Dr [NAME] Said no"),
        ("dr smith was great", "dr [NAME] was great"),
        ("mrs patel rang", "mrs [NAME] rang"),
        ("DR SMITH WAS RUDE", "DR [NAME] WAS RUDE"),
        ("Dr D'Souza", "Dr [NAME]"),
        ("nurse May was lovely", "nurse [NAME] was lovely"),
        ("my care coordinator is Sarah", "my care coordinator is [NAME]"),
    ],
)
def test_names_after_titles_and_roles(text: str, expected: str) -> None:
    r = redact_text(text)
    assert r.text == expected
    assert r.counts["name"] == expected.count("[NAME]")


@pytest.mark.parametrize(
    "text",
    [
        "I waited 10 weeks for an appointment",
        "I was on ward 3 for 14 days in 2024",
        "Ward 21 was clean",
        "tier 4 CAMHS",
        "my GP sent me to A&E",
        "I rang 111 then 999",
        "the nurse was kind",
        "Dr",
        "nurses were great",
        "the doctors were rushed",
        "the Nurse Led clinic",
        "on 01/02/2024 at 10:30",
        "on 01-02-2024 10:30",
        "12.03.2024",
        "detained under section 136",
        "the nurse called back",
        "the doctor called an ambulance",
        "I miss my mum",
        "my ms got worse",
        "I saw the nurse. She was kind",
        "The Consultant Psychiatrist was kind",
        "the GP Surgery",
        "Mental Health Act 1983",
        "B12 injections",
        "I take 20mg twice a day",
        "£1,200,000 budget",
        "the dr said no",
        "my dr appointment",
        "the dr told me to wait",
        "GP Receptionist",
        "Dr NHS",
        "scores 01 02 03 04 05 06",
        "open 0900-1700 daily",
    ],
)
def test_text_that_must_stay(text: str) -> None:
    r = redact_text(text)
    assert r.text == text
    assert r.total == 0


def test_everything_at_once_and_counts() -> None:
    text = (
        "Dr Smith (NHS 943 476 5919) said ring 07700 900123 or email jane@nhs.net; "
        "I live at M14 5RR. After 10 weeks on ward 3 my CPN Dave visited."
    )
    r = redact_text(text)
    assert r.text == (
        "Dr [NAME] (NHS [NHS NUMBER]) said ring [PHONE] or email [EMAIL]; "
        "I live at [POSTCODE]. After 10 weeks on ward 3 my CPN [NAME] visited."
    )
    assert r.counts == {"nhs_number": 1, "phone": 1, "email": 1, "postcode": 1, "name": 2}


def test_idempotent_on_examples() -> None:
    text = "Dr Smith 943 476 5919 07700 900123 jane@nhs.net M14 5RR nurse Jane"
    once = redact_text(text)
    twice = redact_text(once.text)
    assert twice.text == once.text
    assert twice.total == 0


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, ""])
def test_missing_values_give_empty_text(value: object) -> None:
    r = redact_text(value)
    assert isinstance(r, Redaction)
    assert r.text == ""
    assert set(r.counts) == set(REDACTION_TYPES) and r.total == 0


def test_non_string_is_converted() -> None:
    assert redact_text(9434765919).text == "[NHS NUMBER]"
    assert redact_text(42).text == "42"


def test_placeholders_are_the_contract() -> None:
    assert set(PLACEHOLDERS.values()) == {
        "[NHS NUMBER]",
        "[PHONE]",
        "[EMAIL]",
        "[POSTCODE]",
        "[NAME]",
    }


def test_redact_series_keeps_na_index_and_input() -> None:
    s = pd.Series(["Dr Smith", None, "ok", "07700 900123"], index=[10, 11, 12, 13], name="text")
    before = s.copy()
    out = redact_series(s)
    assert out.tolist()[0] == "Dr [NAME]" and out.tolist()[2:] == ["ok", "[PHONE]"]
    assert pd.isna(out.iloc[1])
    assert list(out.index) == [10, 11, 12, 13] and out.name == "text"
    pd.testing.assert_series_equal(s, before)  # never changes the input


def test_redact_series_with_counts_and_string_dtype() -> None:
    s = pd.Series(["Dr Smith", pd.NA, "Dr Smith", "a@b.com"], dtype="string")
    out, counts = redact_series_with_counts(s)
    assert counts["name"] == 2 and counts["email"] == 1
    assert pd.isna(out.iloc[1])
    assert redact_series(pd.Series([], dtype=object)).empty


# --- property-based -------------------------------------------------------------------------

_WEIGHTS = range(10, 1, -1)


@st.composite
def valid_nhs_numbers(draw: st.DrawFn) -> str:
    """A random valid NHS number in a random common format."""
    while True:
        first9 = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
        check = 11 - sum(d * w for d, w in zip(first9, _WEIGHTS, strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            break
    digits = "".join(map(str, first9)) + str(check)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"


@st.composite
def uk_phones(draw: st.DrawFn) -> tuple[str, str]:
    """(formatted phone, its national digits)."""
    kind = draw(st.sampled_from(["mobile", "geo4", "geo3", "free"]))
    if kind == "mobile":
        rest = draw(st.text("0123456789", min_size=9, max_size=9))
        digits = "07" + rest
        fmt = draw(st.sampled_from(["{a} {b}", "{a}{b}", "+44 {a1} {b}", "+44{a1}{b}", "{a}-{b}"]))
        a, b = digits[:5], digits[5:]
    elif kind == "geo4":
        digits = "01" + draw(st.text("0123456789", min_size=9, max_size=9))
        fmt = draw(st.sampled_from(["{a} {b1} {b2}", "({a}) {b}", "{a}{b}", "{a} {b}"]))
        a, b = digits[:4], digits[4:]
    elif kind == "geo3":
        digits = "02" + draw(st.text("0123456789", min_size=9, max_size=9))
        fmt = draw(st.sampled_from(["{a} {b1}{b2}", "{a} {c} {d}", "+44 {a1} {c} {d}"]))
        a, b = digits[:3], digits[3:]
    else:
        digits = "0800" + draw(st.text("0123456789", min_size=6, max_size=7))
        fmt = "{a} {b}"
        a, b = digits[:4], digits[4:]
    phone = fmt.format(a=a, a1=a[1:], b=b, b1=b[:3], b2=b[3:], c=b[:4], d=b[4:])
    return phone, digits


_filler = st.text(
    alphabet=st.sampled_from(list("abcdefghij klmnop qrstuvwxyz ,.!?;:()\n ABCDEFXYZ")), max_size=40
)
_words = st.sampled_from(
    ["", " ", " the nurse was kind ", " 10 weeks ", " ward 3 ", " Dr ", " at ", " on ", "\n"]
)


def _embed(draw: st.DrawFn, item: str) -> str:
    return draw(_filler) + draw(_words) + " " + item + " " + draw(_words) + draw(_filler)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), valid_nhs_numbers())
def test_property_nhs_digits_never_readable(data: st.DataObject, number: str) -> None:
    text = _embed(data.draw, number)
    out = redact_text(text).text
    digits = number.replace(" ", "").replace("-", "")
    assert digits not in out.replace(" ", "").replace("-", "")
    assert number not in out


@settings(max_examples=examples(300), deadline=None)
@given(st.data(), uk_phones())
def test_property_phone_never_readable(data: st.DataObject, phone: tuple[str, str]) -> None:
    formatted, digits = phone
    out = redact_text(_embed(data.draw, formatted)).text
    squashed = "".join(ch for ch in out if ch.isdigit())
    assert digits[1:] not in squashed  # the subscriber digits are gone in every format


@settings(max_examples=examples(300), deadline=None)
@given(
    st.data(),
    st.from_regex(
        r"[a-z][a-z0-9._]{0,10}[a-z0-9]@[a-z][a-z0-9]{0,8}\.(?:com|net|org|co\.uk|nhs\.uk)",
        fullmatch=True,
    ),
)
def test_property_email_never_readable(data: st.DataObject, email: str) -> None:
    out = redact_text(_embed(data.draw, email)).text
    assert "@" not in out
    assert email not in out


@settings(max_examples=examples(400), deadline=None)
@given(st.text(max_size=200))
def test_property_idempotent_on_any_text(text: str) -> None:
    once = redact_text(text)
    twice = redact_text(once.text)
    assert twice.text == once.text
    assert twice.total == 0


@settings(max_examples=examples(300), deadline=None)
@given(st.data(), valid_nhs_numbers(), uk_phones())
def test_property_idempotent_with_planted_data(
    data: st.DataObject, number: str, phone: tuple[str, str]
) -> None:
    text = _embed(data.draw, number) + _embed(data.draw, phone[0]) + " Dr Smith M14 5RR a@b.com"
    once = redact_text(text)
    assert redact_text(once.text).text == once.text
    assert once.counts["nhs_number"] >= 1 or once.counts["phone"] >= 2
