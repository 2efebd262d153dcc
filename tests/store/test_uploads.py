"""The upload flow: a confirmed mapping is remembered per header signature and the next file maps itself."""

from __future__ import annotations

import pytest

from analysis import store
from analysis.ingest import read_upload
from analysis.store.uploads import UploadChoices, prepare_upload, save_upload, start_upload

ROLES = ["Service user", "Carer", "Staff member"]


def _export(quarter: int, n: int = 20) -> bytes:
    lines = ["Ref,When,Who,Notes,Extra"]
    for i in range(n):
        lines.append(
            f"{quarter * 1000 + i},0{quarter}/0{quarter}/2024,{ROLES[i % 3]},"
            f"The nurse listened to me about visit {i},{'x' * (i % 4)}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_the_next_file_with_the_same_headers_maps_itself(any_store: str) -> None:
    engine = store.get_engine(any_store)
    raw = read_upload(_export(1), "q1.csv")
    start = start_upload(raw, engine)
    assert start.remembered is None
    # The user corrects the suggestion: "Ref" is the response id, dates are month first.
    mapping = dict(start.choices.mapping, response_id="Ref", submitted="When", text="Notes")
    choices = UploadChoices(mapping, ["did not answer", "n/a"], "monthfirst")
    preview = prepare_upload(raw, choices)
    assert preview.error is None and preview.report.answers == 20
    save_upload("Quarter 1", raw, preview, filename="q1.csv", who="ada@nhs.net", engine=engine)

    nxt = read_upload(_export(2), "q2.csv")
    again = start_upload(nxt, engine)
    assert again.remembered is not None and again.remembered.saved_by == "ada@nhs.net"
    assert again.choices.mapping == preview.report.mapping
    assert again.choices.placeholders == ["did not answer", "n/a"]
    assert again.choices.date_order == "monthfirst"
    # A file with other headers does not pick it up as its own (a close one does, see below).
    other = read_upload(_export(3).replace(b"Notes", b"Comments"), "other.csv")
    assert not start_upload(other, engine).remembered_exact


def test_examples_are_redacted_and_bad_choices_give_a_message(any_store: str) -> None:
    engine = store.get_engine(any_store)
    data = b"ID,Comment\n1,Call Sarah Jones on 07700 900123 please\n2,Fine\n"
    raw = read_upload(data, "x.csv")
    start = start_upload(raw, engine)
    assert "07700" not in start.examples["Comment"] and "[PHONE]" in start.examples["Comment"]
    preview = prepare_upload(raw, UploadChoices({"text": "Nope"}))
    assert preview.error and "Nope" in preview.error and preview.responses is None
    with pytest.raises(Exception, match="Nope"):
        save_upload("x", raw, preview, filename="x.csv", who="a", engine=engine)


def _first_quarter_saved(engine) -> dict:
    raw = read_upload(_export(1), "q1.csv")
    start = start_upload(raw, engine)
    mapping = dict(start.choices.mapping, response_id="Ref", submitted="When", text="Notes")
    preview = prepare_upload(raw, UploadChoices(mapping, ["did not answer"], "monthfirst"))
    save_upload("Quarter 1", raw, preview, filename="q1.csv", who="ada@nhs.net", engine=engine)
    return preview.report.mapping


def test_a_file_with_a_column_added_and_the_order_changed_reuses_the_mapping(
    any_store: str,
) -> None:
    engine = store.get_engine(any_store)
    confirmed = _first_quarter_saved(engine)
    lines = _export(2).decode().splitlines()
    # Next quarter the tool puts the date first and adds a "Service" column at the end.
    reordered = ["When,Ref,Who,Notes,Extra,Service"]
    for line in lines[1:]:
        ref, when, who, notes, extra = line.split(",")
        reordered.append(f"{when},{ref},{who},{notes},{extra},Crisis team")
    raw = read_upload(("\n".join(reordered) + "\n").encode(), "q2.csv")
    start = start_upload(raw, engine)
    assert start.remembered is not None and not start.remembered_exact
    assert start.remembered.saved_by == "ada@nhs.net"
    assert start.new_columns == ["Service"] and start.gone_columns == []
    for name, column in confirmed.items():
        assert start.choices.mapping[name] == column
    assert start.choices.mapping.get("service") == "Service"  # the new column, as suggested
    assert start.choices.placeholders == ["did not answer"]
    assert start.choices.date_order == "monthfirst"
    preview = prepare_upload(raw, start.choices)
    assert preview.error is None and preview.report.answers == 20


def test_a_renamed_text_column_takes_the_suggestion_and_keeps_the_rest(any_store: str) -> None:
    engine = store.get_engine(any_store)
    confirmed = _first_quarter_saved(engine)
    raw = read_upload(_export(3).replace(b"Notes", b"Comments"), "q3.csv")
    start = start_upload(raw, engine)
    assert start.remembered is not None and not start.remembered_exact
    assert start.new_columns == ["Comments"] and start.gone_columns == ["Notes"]
    assert start.choices.mapping["text"] == "Comments"
    assert start.choices.mapping["response_id"] == confirmed["response_id"] == "Ref"
    assert start.choices.mapping["submitted"] == "When"


def test_a_different_export_does_not_pick_up_a_mapping(any_store: str) -> None:
    engine = store.get_engine(any_store)
    _first_quarter_saved(engine)
    other = b"ID,Comment,Ward,Score\n1,Fine thanks,A,3\n2,Too long a wait,B,2\n"
    start = start_upload(read_upload(other, "other.csv"), engine)
    assert start.remembered is None and start.remembered_exact
    assert start.new_columns == [] and start.gone_columns == []
