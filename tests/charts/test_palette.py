"""Colour accessibility: WCAG contrast of chart marks (3:1) and text (4.5:1), and a categorical palette that
stays distinguishable for people with colour-blindness (simulated with Machado et al. 2009, severity 1)."""

from __future__ import annotations

import itertools
import tomllib

import numpy as np
import pytest

from analysis.charts import base
from analysis.core import config
from tests.conftest import ROOT

WHITE = "#FFFFFF"
MIN_MARK_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11 non-text contrast
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 SC 1.4.3 normal-size text
MIN_DELTA_E = 10.0  # CIE76 distance between any two simulated palette colours
CAPTION_OPACITY = 0.6  # Streamlit draws st.caption in textColor at 60% opacity (its "fadedText60")

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear-light sRGB.
CVD_MATRICES = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
_SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def rgb(hex_colour: str) -> np.ndarray:
    """'#RRGGBB' -> array of three 0-255 ints."""
    h = hex_colour.lstrip("#")
    assert len(h) == 6, hex_colour
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def linear(c: np.ndarray) -> np.ndarray:
    """sRGB 0-255 -> linear light 0-1."""
    c = np.asarray(c, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(colour: str | np.ndarray) -> float:
    """WCAG relative luminance."""
    c = rgb(colour) if isinstance(colour, str) else colour
    return float(linear(c) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str | np.ndarray, b: str | np.ndarray) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(fg: str, bg: str, alpha: float) -> np.ndarray:
    """What the eye sees: fg drawn at `alpha` opacity over bg (sRGB space, as browsers composite)."""
    return alpha * rgb(fg) + (1 - alpha) * rgb(bg)


def lab(hex_colour: str, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of a colour as seen with the given (simulated) vision."""
    lin = np.clip(CVD_MATRICES[vision] @ linear(rgb(hex_colour)), 0, 1)
    xyz = (_SRGB_TO_XYZ @ lin) / _D65
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str) -> float:
    """CIE76 colour difference between a and b under the given vision."""
    return float(np.linalg.norm(lab(a, vision) - lab(b, vision)))


def theme() -> dict:
    """The [theme] table of .streamlit/config.toml."""
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        return tomllib.load(fh)["theme"]


# --- the helpers themselves, against published values ------------------------------------------------


def test_contrast_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(
        4.54, abs=0.01
    )  # the well-known 4.5:1 grey
    assert contrast("#F0E442", WHITE) < MIN_MARK_CONTRAST  # Okabe-Ito yellow: why it had to go
    assert contrast("#56B4E9", WHITE) < MIN_MARK_CONTRAST  # Okabe-Ito sky blue


def test_simulation_keeps_greys_and_confuses_red_with_green() -> None:
    for vision, m in CVD_MATRICES.items():
        assert m.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-3), vision  # white stays white
    assert delta_e("#808080", "#808080", "deuteranopia") == 0
    # The classic confusion: red and green far apart normally, close for a deuteranope.
    assert delta_e("#D62728", "#2CA02C", "normal") > 60
    assert (
        delta_e("#D62728", "#2CA02C", "deuteranopia") < delta_e("#D62728", "#2CA02C", "normal") / 2
    )
    assert lab("#FFFFFF")[0] == pytest.approx(100, abs=0.1)


# --- chart marks ---------------------------------------------------------------------------------------


def test_palette_starts_with_nhs_blue_and_has_no_duplicates() -> None:
    assert config.CATEGORICAL_PALETTE[0] == config.NHS_BLUE == "#005EB8"
    assert (
        len({c.upper() for c in config.CATEGORICAL_PALETTE}) == len(config.CATEGORICAL_PALETTE) >= 6
    )


@pytest.mark.parametrize("colour", config.CATEGORICAL_PALETTE)
def test_categorical_colours_are_3_to_1_on_white(colour: str) -> None:
    assert contrast(colour, WHITE) >= MIN_MARK_CONTRAST, (
        f"{colour}: {contrast(colour, WHITE):.2f}:1"
    )


@pytest.mark.parametrize("status", config.MILESTONE_STATUSES)
def test_status_colours_are_3_to_1_on_white(status: str) -> None:
    colour = config.STATUS_COLOURS[status]
    assert contrast(colour, WHITE) >= MIN_MARK_CONTRAST, (
        f"{status} {colour}: {contrast(colour, WHITE):.2f}:1"
    )


@pytest.mark.parametrize(
    "colour",
    [config.NHS_BLUE, config.NHS_DARK_BLUE, config.NHS_DARK_GREY, config.NHS_RED, config.NHS_GREEN],
)
def test_single_mark_colours_are_3_to_1_on_white(colour: str) -> None:
    assert contrast(colour, WHITE) >= MIN_MARK_CONTRAST


def test_diverging_scale_ends_are_3_to_1_on_white() -> None:
    # The middle is near-white by design (no difference); the ends carry the meaning.
    assert contrast(config.DIVERGING_SCALE[0][1], WHITE) >= MIN_MARK_CONTRAST
    assert contrast(config.DIVERGING_SCALE[-1][1], WHITE) >= MIN_MARK_CONTRAST


def _closest_pair(colours: list[str], vision: str) -> tuple[float, str, str]:
    return min((delta_e(a, b, vision), a, b) for a, b in itertools.combinations(colours, 2))


@pytest.mark.parametrize("vision", list(CVD_MATRICES))
def test_categorical_palette_is_distinguishable(vision: str) -> None:
    d, a, b = _closest_pair(list(config.CATEGORICAL_PALETTE), vision)
    assert d > MIN_DELTA_E, f"{vision}: {a} and {b} are only {d:.1f} apart"


@pytest.mark.parametrize("vision", list(CVD_MATRICES))
def test_status_colours_are_distinguishable(vision: str) -> None:
    # Statuses are stacked side by side in the plan charts, so they must not merge either.
    d, a, b = _closest_pair(list(config.STATUS_COLOURS.values()), vision)
    assert d > MIN_DELTA_E, f"{vision}: {a} and {b} are only {d:.1f} apart"


def test_old_okabe_ito_palette_would_have_failed() -> None:
    # Guards the test itself: the palette we replaced breaks both rules.
    old = [
        "#005EB8",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#0072B2",
        "#D55E00",
        "#56B4E9",
        "#000000",
        "#F0E442",
    ]
    assert min(contrast(c, WHITE) for c in old) < MIN_MARK_CONTRAST
    assert _closest_pair(old, "tritanopia")[0] < MIN_DELTA_E  # NHS blue vs Okabe-Ito blue


# --- text -----------------------------------------------------------------------------------------------


def test_chart_text_and_axes_contrast() -> None:
    assert contrast(base.TEXT_COLOUR, base.BACKGROUND) >= MIN_TEXT_CONTRAST
    assert contrast(base.AXIS_COLOUR, base.BACKGROUND) >= MIN_MARK_CONTRAST


def test_chart_layout_uses_the_checked_colours() -> None:
    import plotly.graph_objects as go

    fig = base.base_layout(go.Figure(go.Bar(x=["a"], y=[1])), "A finding").to_dict()["layout"]
    assert fig["font"]["color"] == base.TEXT_COLOUR
    assert fig["title"]["font"]["color"] == base.TEXT_COLOUR
    assert (
        fig["xaxis"]["tickfont"]["color"] == fig["yaxis"]["tickfont"]["color"] == base.TEXT_COLOUR
    )
    assert fig["plot_bgcolor"] == fig["paper_bgcolor"] == base.BACKGROUND
    # Explicit, because Streamlit's chart theme would otherwise draw these in a 3.8:1 grey.
    assert (
        fig["xaxis"]["title"]["font"]["color"]
        == fig["yaxis"]["title"]["font"]["color"]
        == base.TEXT_COLOUR
    )
    assert fig["legend"]["font"]["color"] == base.TEXT_COLOUR
    assert contrast(fig["modebar"]["color"], base.BACKGROUND) >= MIN_MARK_CONTRAST
    assert contrast(fig["modebar"]["activecolor"], base.BACKGROUND) >= MIN_MARK_CONTRAST


def test_nhs_red_is_readable_as_text() -> None:
    # The plan chart writes "today" in NHS red.
    assert contrast(config.NHS_RED, WHITE) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("background_key", ["backgroundColor", "secondaryBackgroundColor"])
def test_streamlit_theme_text_contrast(background_key: str) -> None:
    t = theme()
    bg = t[background_key]
    assert contrast(t["textColor"], bg) >= MIN_TEXT_CONTRAST
    # Captions are textColor at 60% opacity: axe flagged #212B32 captions at 4.0:1 on white.
    caption = blend(t["textColor"], bg, CAPTION_OPACITY)
    assert contrast(caption, rgb(bg)) >= MIN_TEXT_CONTRAST, (
        f"captions on {bg}: {contrast(caption, rgb(bg)):.2f}:1"
    )


def test_streamlit_primary_colour_contrast() -> None:
    t = theme()
    # Primary buttons put white text on primaryColor; links and focus rings use it on the background.
    assert contrast(t["primaryColor"], WHITE) >= MIN_TEXT_CONTRAST
    assert contrast(t["primaryColor"], t["backgroundColor"]) >= MIN_TEXT_CONTRAST
    assert contrast(t["primaryColor"], t["secondaryBackgroundColor"]) >= MIN_TEXT_CONTRAST
