"""Pure codebook edits: add, rename, merge, split, retire/restore, seeds and descriptions."""

from __future__ import annotations

import pytest

from analysis.themes.codebook import Codebook, CodebookError, Theme
from analysis.themes.codebook_edit import (
    add_theme,
    adopt_theme,
    clean_seeds,
    describe_changes,
    merge_themes,
    new_theme_id,
    rename_theme,
    restore_theme,
    retire_theme,
    set_description,
    set_seeds,
    split_theme,
)


@pytest.fixture
def cb() -> Codebook:
    return Codebook(
        name="Test",
        version=3,
        themes=[
            Theme("access", "Access", "Getting help", ["waiting list", "rang back", "referral"]),
            Theme("staff", "Staff", "Attitudes", ["rude", "kind"]),
            Theme("phone", "Phone", "", ["phone"], parent="access"),
        ],
    )


def test_add_theme_makes_unique_id_and_leaves_input_alone(cb: Codebook) -> None:
    out = add_theme(cb, "Waiting times!", "long wait\n\nlong wait\nweeks", description="How long")
    new = out.get("waiting_times")
    assert new.label == "Waiting times!" and new.seeds == ["long wait", "weeks"]
    assert len(cb.themes) == 3 and out.version == 3
    again = add_theme(out, "Waiting  Times 2", ["x"])
    assert "waiting_times_2" in again.theme_ids


def test_add_theme_errors(cb: Codebook) -> None:
    with pytest.raises(CodebookError, match="name"):
        add_theme(cb, "  ", ["x"])
    with pytest.raises(CodebookError, match="seed"):
        add_theme(cb, "New", [])
    with pytest.raises(CodebookError, match="already exists"):
        add_theme(cb, "access", ["x"])
    with pytest.raises(CodebookError, match="Improvement Plan"):
        add_theme(cb, "New", ["x"], plan_area="Nope")


def test_new_theme_id_from_awkward_labels(cb: Codebook) -> None:
    assert new_theme_id(cb, "123 go") == "theme_123_go"
    assert new_theme_id(cb, "Access") == "access_2"
    assert new_theme_id(cb, "unassigned") == "unassigned_2"
    assert len(new_theme_id(cb, "x" * 300)) <= 50


def test_rename_keeps_id(cb: Codebook) -> None:
    out = rename_theme(cb, "access", "Access to support")
    assert out.get("access").label == "Access to support"
    with pytest.raises(CodebookError, match="already called"):
        rename_theme(cb, "access", "staff")
    with pytest.raises(CodebookError, match="no theme with id"):
        rename_theme(cb, "nope", "x")
    with pytest.raises(CodebookError, match="empty"):
        rename_theme(cb, "access", " ")


def test_merge_unions_seeds_and_retires_source(cb: Codebook) -> None:
    out = merge_themes(cb, "phone", "access")
    assert out.get("access").seeds == ["waiting list", "rang back", "referral", "phone"]
    assert out.get("phone").retired is True
    removed = merge_themes(cb, "staff", "access", remove=True)
    assert "staff" not in [t.id for t in removed.themes]
    with pytest.raises(CodebookError, match="different"):
        merge_themes(cb, "access", "access")


def test_merge_moves_children_to_target(cb: Codebook) -> None:
    out = merge_themes(cb, "access", "staff", remove=True)
    assert out.get("phone").parent == "staff"


def test_merge_into_own_child(cb: Codebook) -> None:
    out = merge_themes(cb, "access", "phone", remove=True)
    assert out.get("phone").parent is None
    assert "referral" in out.get("phone").seeds


def test_split_partitions_seeds(cb: Codebook) -> None:
    out = split_theme(cb, "access", "Call backs", ["RANG BACK"])
    assert out.get("access").seeds == ["waiting list", "referral"]
    assert out.get("call_backs").seeds == ["rang back"]
    with pytest.raises(CodebookError, match="Leave at least one"):
        split_theme(cb, "staff", "All", ["rude", "kind"])
    with pytest.raises(CodebookError, match="not a seed"):
        split_theme(cb, "staff", "Other", ["nonexistent"])
    with pytest.raises(CodebookError, match="at least one seed"):
        split_theme(cb, "staff", "Other", [])


def test_split_inherits_parent(cb: Codebook) -> None:
    cb2 = set_seeds(cb, "phone", ["phone", "voicemail"])
    out = split_theme(cb2, "phone", "Voicemail", ["voicemail"])
    assert out.get("voicemail").parent == "access"


def test_retire_and_restore(cb: Codebook) -> None:
    out = retire_theme(cb, "staff")
    assert "staff" not in out.theme_ids and out.get("staff").retired
    assert "staff" in restore_theme(out, "staff").theme_ids
    with pytest.raises(CodebookError, match="already retired"):
        retire_theme(out, "staff")
    with pytest.raises(CodebookError, match="not retired"):
        restore_theme(cb, "staff")
    last = retire_theme(retire_theme(cb, "staff"), "phone")
    with pytest.raises(CodebookError):
        retire_theme(last, "access")


def test_seeds_and_description(cb: Codebook) -> None:
    out = set_seeds(cb, "staff", "rude\n  dismissive   staff \nrude\n")
    assert out.get("staff").seeds == ["rude", "dismissive staff"]
    with pytest.raises(CodebookError, match="at least one seed"):
        set_seeds(cb, "staff", "\n \n")
    assert set_description(cb, "staff", "  How staff treat people ").get("staff").description == (
        "How staff treat people"
    )
    with pytest.raises(CodebookError, match="longer than"):
        set_seeds(cb, "staff", ["x" * 5000])


def test_adopt_theme_renames_taken_id(cb: Codebook) -> None:
    out = adopt_theme(cb, Theme("access", "Parking", "Found", ["car park", "parking"]))
    assert out.get("parking").seeds == ["car park", "parking"]


def test_clean_seeds_and_describe_changes(cb: Codebook) -> None:
    assert clean_seeds(["a", "A", " b  c ", ""]) == ["a", "b c"]
    out = retire_theme(rename_theme(add_theme(cb, "New", ["x"]), "access", "Access 2"), "staff")
    changes = describe_changes(cb, out)
    assert "added 'New'" in changes and "renamed 'Access' to 'Access 2'" in changes
    assert "retired 'Staff'" in changes
