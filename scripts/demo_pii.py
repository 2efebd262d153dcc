"""Personal data planted in demo answers: only never-issued or reserved values.

NHS numbers start 999 (never issued) and pass the Modulus 11 check; phone numbers are Ofcom's
drama ranges (07700 900xxx, 0161 496 0xxx); e-mails use example.org / example.com.
"""

from __future__ import annotations

import random

import demo_text_bank as bank


def nhs_check_digit(nine_digits: str) -> int | None:
    """Modulus 11 check digit for the first nine digits of an NHS number; None when invalid (10)."""
    total = sum(int(d) * w for d, w in zip(nine_digits, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    """True when `value` (spaces allowed) is ten digits passing the Modulus 11 check."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def nhs_number(rng: random.Random, spaced: bool = True) -> str:
    """A random valid NHS number from the never-issued 999 range, spaced 3-3-4 or not."""
    while True:
        nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(nine)
        if check is not None:
            digits = nine + str(check)
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if spaced else digits


def pii_value(kind: str, rng: random.Random, nth: int = 0) -> str:
    """The `nth` planted value of `kind` (see PII_KINDS); formats cycle so that each one appears."""
    if kind == "nhs_number":
        return nhs_number(rng, spaced=nth % 3 != 1)
    if kind == "phone":
        n = rng.randrange(1000)
        formats = (
            f"07700 900{n:03d}",
            f"0161 496 0{n:03d}",
            f"07700900{n:03d}",
            f"0161 4960{n:03d}",
            f"+44 7700 900{n:03d}",
        )
        return formats[nth % len(formats)]
    if kind == "email":
        return f"{rng.choice(bank.PII_EMAIL_USERS)}@{rng.choice(('example.org', 'example.com'))}"
    if kind == "postcode":
        return rng.choice(bank.PII_POSTCODES)
    if kind == "doctor":
        return f"Dr {rng.choice(bank.PII_SURNAMES)}"
    if kind == "nurse":
        return f"nurse {rng.choice(bank.PII_FIRST_NAMES)}"
    return f"care coordinator {rng.choice(bank.PII_FIRST_NAMES)}"
