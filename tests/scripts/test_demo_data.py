"""The demo responses generator (scripts/generate_demo_responses.py) and its committed output."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.core import config
from analysis.core.schema import RESPONSE_COLUMNS, conform_responses

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import generate_demo_responses as gen  # noqa: E402

DEMO = config.DEMO_RESPONSES
DEMOGRAPHICS = list(config.DEMOGRAPHIC_COLUMNS)

# Words a reader would expect in answers about each theme (a loose check that the area is covered).
THEME_KEYWORDS = {
    "access": r"wait|get through|referr|appointment|seen|self refer|duty|phone|picked up|assessment",
    "staff_behaviour": r"rude|dismissive|kind|listen|judg|caring|respect|staff|nurse|doctor|receptionist|"
    r"nuisance|patronis|laugh|believ|attention seeking|compassion",
    "limited_interventions": r"only offered medication|sessions|cbt|therapy|groups?\b|psycholog|dbt|emdr|tablets",
    "partnership_working": r"\bgp\b|housing|social (?:care|services|worker)|police|talk to each other|services|"
    r"joint|same page|primary care|local authority|vcse|voluntary|records|story|charity|coordinat",
    "discharge_planning": r"discharg|72 hours|transition|camhs|moved|turned 18|sent home|after leaving",
    "communication": r"inform|letters?\b|jargon|care plan|explain|updated|rang back|ring back|message|"
    r"reminder|involved|communication|told|copy",
    "carers_family": r"carers?\b|famil|confidentiality|my (?:mum|partner)",
    "medication": r"side effects|prescription|medication|meds\b|tablets|pharmac|"
    + "|".join(re.escape(m) for m in gen.bank.SLOT_VALUES["med"]),
    "crisis_care": r"crisis|a&e|home treatment|999",
    "environment_safety": r"ward|safe|food|activit|noisy|noise|clean|filthy|ligature|building|bored|stolen",
    "positive_experience": r"thank|brilliant|saved my life|excellent|amazing|fantastic|recommend|great|happy|"
    r"good|change anything|keep|life back|lovely|better place|proud|👍|everything|fine|back at work|myself again|"
    r"wouldn't be here|10/10|best",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    """The committed demo file, read so that typed answers such as "None" stay answers."""
    return pd.read_csv(DEMO, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def labelled() -> pd.DataFrame:
    """The default demo answers with the generator's own labels (what each answer was built from)."""
    return gen.generate_frame(with_labels=True)


# --- determinism ---------------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert gen.main(["--rows", "700", "--out", str(a), "--seed", "7"]) == 0
    assert gen.main(["--rows", "700", "--out", str(b), "--seed", "7"]) == 0
    assert gen.main(["--rows", "700", "--out", str(c), "--seed", "8"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert len(pd.read_csv(a, dtype=str, keep_default_na=False)) == 700


def test_committed_file_matches_generator(tmp_path):
    out = tmp_path / "demo.csv"
    gen.write_csv(out, seed=config.RANDOM_SEED)
    assert sha256(out) == sha256(DEMO), "data/demo_responses.csv is stale: rerun the generator"


def test_rows_option_refuses_to_write_into_data_dir():
    with pytest.raises(SystemExit) as exc:
        gen.main(["--rows", "10", "--out", str(config.DATA_DIR / "bench.csv")])
    assert exc.value.code == 2
    assert not (config.DATA_DIR / "bench.csv").exists()


def test_rows_option_writes_exact_count_with_every_round(tmp_path):
    out = tmp_path / "big.csv"
    assert gen.write_csv(out, rows=12_345) == 12_345
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(df) == 12_345
    assert df["response_id"].is_unique
    assert set(df["round"]) == set(gen.ROUNDS)


# --- shape ---------------------------------------------------------------------------------------
def test_columns_are_canonical_and_conform(demo):
    # every canonical column but the no-content mark, which ingest works out
    assert list(demo.columns) == [c for c in RESPONSE_COLUMNS if c != "no_content"]
    conformed = conform_responses(demo)
    assert conformed["submitted"].notna().all()
    assert conformed["text"].notna().all()


def test_volumes_rounds_boroughs_services_types(demo):
    assert 2_800 <= len(demo) <= 3_200
    assert demo["response_id"].is_unique
    assert sorted(demo["round"].unique()) == list(gen.ROUNDS)
    per_round = demo["round"].value_counts()
    assert per_round.min() < per_round.max()  # volumes vary a little by round
    assert set(demo["locality"]) == set(config.GM_BOROUGHS)
    assert demo["locality"].value_counts().idxmax() == "Manchester"
    assert set(demo["service"]) == set(gen.SERVICES)
    assert set(demo["question"]) == set(gen.QUESTIONS)
    shares = demo.drop_duplicates("respondent_id")["respondent_type"].value_counts(normalize=True)
    assert set(shares.index) == {"service user", "carer", "staff"}
    assert 0.52 < shares["service user"] < 0.68
    assert 0.16 < shares["carer"] < 0.28
    assert 0.12 < shares["staff"] < 0.24


def test_long_format_answers_share_respondent(demo):
    per_person = demo.groupby("respondent_id").size()
    assert per_person.max() <= 3
    assert (per_person >= 2).mean() > 0.6
    same = demo.groupby("respondent_id")[
        ["submitted", "round", "locality", "rating", "ethnicity"]
    ].nunique()
    assert (same <= 1).all().all()


def test_dates_and_ratings(demo):
    submitted = pd.to_datetime(demo["submitted"], format="%Y-%m-%d")
    labels = [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in submitted]
    assert labels == list(demo["round"])
    assert set(demo["rating"]) == {"", "1", "2", "3", "4", "5"}
    assert 0.03 < (demo["rating"] == "").mean() < 0.15


def test_demographics_prefer_not_to_say_distinct_from_blank(demo):
    for col in DEMOGRAPHICS:
        values = demo[col]
        assert (values == config.PREFER_NOT_TO_SAY).sum() >= 20, col
        assert (values == "").sum() >= 50, col
    assert set(demo["age_band"]) - {"", config.PREFER_NOT_TO_SAY} == set(gen.AGE_BANDS)
    assert set(demo["gender"]) - {"", config.PREFER_NOT_TO_SAY} == set(gen.GENDERS)
    assert set(demo["ethnicity"]) - {"", config.PREFER_NOT_TO_SAY} == set(gen.ETHNICITIES)
    assert set(demo["disability"]) - {"", config.PREFER_NOT_TO_SAY} == {"Yes", "No"}
    assert set(demo["sexual_orientation"]) - {"", config.PREFER_NOT_TO_SAY} == set(gen.ORIENTATIONS)
    assert set(demo["religion"]) - {"", config.PREFER_NOT_TO_SAY} == set(gen.RELIGIONS)


def test_demographics_skewed_like_real_surveys(demo):
    people = demo.drop_duplicates("respondent_id")

    def known(col: str) -> pd.Series:
        return people.loc[~people[col].isin(["", config.PREFER_NOT_TO_SAY]), col]

    age = known("age_band").value_counts(normalize=True)
    assert age[["16-17", "18-24"]].sum() < 0.14  # about 16% of Greater Manchester's 16+ population
    assert age[["45-54", "55-64"]].sum() > 0.36  # about 30% of the population
    gender = known("gender").value_counts(normalize=True)
    assert gender["Woman"] > 0.6 and gender["Man"] < 0.38  # men are about 49% of the population
    # Expected White British share if everyone answered equally, from the generator's population table.
    pop = gen.BOROUGH_POPULATION
    white_british_pop = sum(pop[b] * gen.ETHNICITY_POPULATION[b][0] for b in pop) / sum(
        pop[b] * sum(gen.ETHNICITY_POPULATION[b]) for b in pop
    )
    assert (
        known("ethnicity").value_counts(normalize=True)["White British"] > white_british_pop + 0.05
    )


def test_small_cells_exist_for_suppression(demo):
    people = demo.drop_duplicates("respondent_id")
    eating_disorder_carers = people[
        (people["service"] == "Eating Disorders service") & (people["respondent_type"] == "carer")
    ]
    assert 0 < len(eating_disorder_carers) < config.SUPPRESSION_THRESHOLD
    cells = people.groupby(["locality", "ethnicity"]).size()
    assert ((cells > 0) & (cells < config.MIN_SUPPRESSION_THRESHOLD)).sum() >= 5


# --- text ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("theme", config.CORE_THEME_IDS)
def test_every_theme_has_answers_about_it(demo, labelled, theme):
    pattern = re.compile(THEME_KEYWORDS[theme], re.IGNORECASE)
    built = labelled[labelled["_labels"].str.split("|").apply(lambda ls: theme in ls)]
    assert len(built) >= 40
    matching = built["text"].str.contains(pattern)
    assert matching.mean() > 0.7, f"{theme}: answers built from it rarely use its words"
    assert demo["text"].str.contains(pattern).sum() >= 40


def test_text_variety_multi_theme_mixed_and_off_codebook(demo, labelled):
    assert demo["text"].nunique() > 0.7 * len(demo)
    substantive = demo[demo["text"].str.len() > 60]["text"]
    assert substantive.nunique() > 0.95 * len(substantive)
    real = (
        labelled["_labels"]
        .str.split("|")
        .apply(lambda ls: [t for t in ls if t in config.CORE_THEME_IDS])
    )
    with_theme = real[real.str.len() > 0]
    assert 0.2 < (with_theme.str.len() > 1).mean() < 0.45  # about 30% raise several themes
    assert labelled["_labels"].str.contains("other:").sum() >= 60
    for topic in gen.bank.OFF_TOPIC:
        assert labelled["_labels"].str.contains(f"other:{topic}").any(), topic
    lengths = demo["text"].str.len()
    assert lengths.min() <= 2 and lengths.max() > 400
    assert (lengths < 20).mean() > 0.08 and (lengths > 200).mean() > 0.1
    assert (
        demo["text"]
        .str.contains(r"\b(?:my son|my daughter|my mum|my dad|my husband|my wife)\b")
        .sum()
        > 100
    )
    assert demo["text"].str.contains(r", but | but |However", regex=True).sum() > 100
    assert demo["text"].str.contains("\n").any()
    assert (demo["text"] == demo["text"].str.lower()).sum() > 100  # texting style


def test_typed_none_and_na_are_answers(demo):
    for typed in ("None", "NA", "n/a", "N/A"):
        assert (demo["text"] == typed).any(), typed
    assert (demo["text"] != "").all()


def test_planted_patterns(labelled):
    themes = labelled["_labels"].str.split("|")

    def has(theme: str) -> pd.Series:
        return themes.apply(lambda ls: theme in ls)

    is_carer = labelled["respondent_type"] == "carer"
    su = labelled["respondent_type"] == "service user"
    for theme in ("carers_family", "partnership_working"):
        assert has(theme)[is_carer].mean() > 2 * has(theme)[su].mean(), theme
    crisis = labelled["service"] == "Crisis team / Home Treatment"
    assert has("crisis_care")[crisis].mean() > 3 * has("crisis_care")[~crisis].mean()
    assert has("access")[crisis].mean() > has("access")[~crisis].mean()
    oldham = labelled["locality"] == gen.ACCESS_BOROUGH
    early = labelled["round"] < "2025 Q1"
    negative_access = labelled["text"].str.contains(
        r"wait|get through|bounced|no appointments", case=False
    )
    access = has("access") & negative_access
    assert access[oldham & early].mean() > 2 * access[oldham & ~early].mean()
    ward = labelled["service"] == "Inpatient ward"
    by_round = has("discharge_planning")[ward].groupby(labelled.loc[ward, "round"]).mean()
    assert by_round["2025 Q2"] > 2 * by_round["2024 Q1"]


# --- personal data and hostile text --------------------------------------------------------------
def test_planted_personal_data(demo):
    records = gen.planted_pii_records()
    assert 0.01 <= len(records) / len(demo) <= 0.02
    assert {kind for _, kind, _ in records} == set(gen.PII_KINDS)
    text_by_id = dict(zip(demo["response_id"], demo["text"]))
    for response_id, _, value in records:
        assert value in text_by_id[response_id]
    values = gen.planted_pii()
    assert values == list(dict.fromkeys(v for _, _, v in records))
    planted_ids = {r for r, _, _ in records}
    others = demo.loc[~demo["response_id"].isin(planted_ids), "text"]
    for value in values:
        assert not others.str.contains(value, regex=False).any(), value


def test_planted_nhs_numbers_pass_modulus_11_and_start_999():
    numbers = [v for _, kind, v in gen.planted_pii_records() if kind == "nhs_number"]
    assert len(numbers) >= 3
    assert any(" " in n for n in numbers) and any(" " not in n for n in numbers)
    for number in numbers:
        digits = number.replace(" ", "")
        assert digits.startswith("999") and len(digits) == 10
        assert gen.is_valid_nhs_number(number)


def test_nhs_check_digit():
    assert gen.is_valid_nhs_number("943 476 5919")  # the NHS's own published example
    assert not gen.is_valid_nhs_number("943 476 5918")
    assert not gen.is_valid_nhs_number("999 123 4560")  # check digit would be 10: never issued
    assert gen.nhs_check_digit("999123456") is None
    assert not gen.is_valid_nhs_number("99912345")


def test_planted_phone_email_and_names_use_reserved_ranges():
    values = {kind: [] for kind in gen.PII_KINDS}
    for _, kind, value in gen.planted_pii_records():
        values[kind].append(value)
    for phone in values["phone"]:
        digits = re.sub(r"\D", "", phone)
        assert digits.startswith(("07700900", "447700900", "01614960")), phone
    assert all(e.endswith(("@example.org", "@example.com")) for e in values["email"])
    assert all(v.startswith("Dr ") for v in values["doctor"])
    assert all(v.startswith("nurse ") for v in values["nurse"])
    assert all(v.startswith("care coordinator ") for v in values["coordinator"])


def test_hostile_answers_present(demo):
    texts = demo["text"]
    assert texts.str.startswith("=SUM(A1:A2)").sum() == 1
    assert texts.str.contains("<b>bold</b>", regex=False).sum() == 1
    assert texts.str.contains(r"\[[^\]]+\]\(https?://", regex=True).sum() >= 1
    assert texts.str.contains("<script>", regex=False).sum() == 1


def test_demo_file_loads_through_ingest_without_problems(demo):
    from analysis.ingest.exports import load_responses

    responses, report = load_responses(DEMO)
    # The demo's placeholder answers ("N/A", "-") are reported as no content, and are its only note.
    placeholders = demo["text"].str.strip().str.lower().isin({"-", "n/a", "na", "not applicable"})
    assert report.no_content >= int(placeholders.sum()) > 0
    others = [p for p in report.problems if "say nothing" not in p]
    assert others == [] and report.rejected_rows == 0
    assert len(responses) == len(demo)
    assert responses["submitted"].notna().all()
    for col in DEMOGRAPHICS:  # blanks are missing, "Prefer not to say" is a value
        assert responses[col].isna().sum() == (demo[col] == "").sum()
        assert (responses[col] == config.PREFER_NOT_TO_SAY).sum() == (
            demo[col] == config.PREFER_NOT_TO_SAY
        ).sum()
    assert (responses["text"] == "None").sum() == (demo["text"] == "None").sum() > 0
