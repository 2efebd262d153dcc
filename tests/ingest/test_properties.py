"""Property-based checks: any bytes give a table or a ValidationError; every good row survives."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.core.schema import ValidationError
from analysis.ingest.exports import load_responses, read_upload, suggest_mapping, to_responses
from tests.property_budget import examples

# 1,000 examples per property in CI (100 locally): random bytes, CSV shapes and encodings. Not
# derandomised, so every run explores new inputs; hypothesis prints the failing example when one is found.
PROPERTY = settings(
    max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_random_bytes_never_raise_anything_but_validation_error(data, name):
    try:
        raw = read_upload(data, name)
        to_responses(raw, suggest_mapping(list(raw.frame.columns), raw.frame.head(200)))
    except ValidationError as exc:
        assert str(exc) and "\n" not in str(exc)


@PROPERTY
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04"]),
    data=st.binary(max_size=500),
)
def test_random_bytes_after_a_signature(prefix, data):
    try:
        load_responses(prefix + data, "x.csv", {"text": "x"})
    except ValidationError:
        pass


# Printable text a respondent might type, delimiters, quotes and line breaks included. Other C0
# control characters are left out on purpose: a file dense with them is refused as binary (by design;
# a few NUL bytes in hostile text are tested in test_ingest.py).
answer_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFF),
        st.sampled_from("\t\n\r"),
    ),
    max_size=60,
)
cp1252_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;\t\"'\n\r=+-@<>!é£€–’")), max_size=40
)


@PROPERTY
@given(
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    n_good=st.integers(min_value=1, max_value=25),
)
def test_random_csv_shapes_keep_every_good_row(data, delimiter, encoding, n_good):
    texts = data.draw(
        st.lists(
            cp1252_text if encoding == "cp1252" else answer_text, min_size=n_good, max_size=n_good
        )
    )
    bad_at = data.draw(st.sets(st.integers(min_value=0, max_value=n_good), max_size=3))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["ID", "Comment", "Borough"])
    good_ids = []
    for i, text in enumerate(texts):
        if i in bad_at:
            # A row with one field too many (unquoted), between good rows.
            buf.write(delimiter.join([f"bad{i}", "x", "y", "z"]) + "\r\n")
        w.writerow([f"id{i}", text, "Bury"])
        good_ids.append(f"id{i}")
    payload = buf.getvalue().encode(encoding)
    if encoding == "cp1252":
        # cp1252 bytes that also form valid UTF-8 ("é££" is the bytes of "飣") are read as UTF-8, as
        # every spreadsheet tool reads them: no reader can tell the two apart, so such draws are skipped.
        # The same holds line by line: a file mostly of UTF-8 with a few Windows-1252 lines (hand
        # edits) is read per line, so a line whose bytes are valid UTF-8 is read as UTF-8.
        for line in payload.splitlines():
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            assume(False)  # a non-ASCII line that is also valid UTF-8: ambiguous
    df, report = load_responses(payload, "export.csv")
    assert report.delimiter == delimiter
    assert list(df["response_id"]) == good_ids
    # Bidirectional controls (U+202A-U+202E, U+2066-U+2069) are removed at ingest; nothing else is.
    bidi = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
    assert list(df["text"]) == ["".join(c for c in t if c not in bidi).strip() for t in texts]
    assert report.rejected_rows == len(bad_at & set(range(n_good)))
