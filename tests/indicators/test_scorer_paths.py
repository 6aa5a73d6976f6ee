"""The fast paths of the scorers (band steps, text columns from codes, month keys from stamps) give exactly what
the plain per-band / per-row definitions give."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators import core, norms


def _bands_by_loop(x, bands, field="value"):
    """The definition: the first band in file order whose range contains x; NaN if none."""
    out = np.full(x.shape, np.nan)
    free = ~np.isnan(x)
    for band in bands:
        lo, hi, lo_c, hi_c = norms.parse_range(band["range"])
        inside = (x >= lo if lo_c else x > lo) & (x <= hi if hi_c else x < hi) & free
        out[inside] = band[field]
        free &= ~inside
    return out


def _all_band_tables():
    for method in ("ksp2016", "ksp2021", "finance"):
        for key, spec in norms.load_norms(method)["components"].items():
            if spec.get("bands"):
                yield f"{method}.{key}", spec["bands"]
    yield "overlap+gap", [{"range": "[0, 10]", "value": 1}, {"range": "[5, 20)", "value": 2},
                          {"range": "(30, inf)", "value": 3}, {"range": "[10, 10]", "value": 9}]
    yield "point+neg-zero", [{"range": "[0, 0]", "value": -0.0}, {"range": "(-inf, 0)", "value": 0.0},
                             {"range": "(0, 1]", "value": 0.0}, {"range": "(1, inf)", "value": 4}]
    yield "closed-infinite", [{"range": "[-inf, -5]", "value": 7}, {"range": "(-5, inf]", "value": 8}]
    yield "empty", []


@pytest.mark.parametrize("name,bands", list(_all_band_tables()), ids=[n for n, _ in _all_band_tables()])
def test_band_lookup_matches_the_per_band_definition(name, bands):
    rng = np.random.default_rng(5)
    ends = sorted({v for b in bands for v in norms.parse_range(b["range"])[:2]})
    finite = [e for e in ends if np.isfinite(e)]
    near = [e + d for e in finite for d in (-1e-9, 0.0, 1e-9)]
    x = np.concatenate([rng.normal(0, 200, 5000), rng.uniform(-5, 150, 5000), near, ends,
                        [np.nan, np.inf, -np.inf, 0.0, -0.0]])
    got = norms.band_lookup(x, bands)
    want = _bands_by_loop(x, bands)
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    assert float(norms.band_lookup(np.float64(x[0]), bands)) == pytest.approx(want[0], nan_ok=True)


def test_labels_at_equals_a_per_row_string_column():
    rng = np.random.default_rng(1)
    labels = ["sehat", "", "a; b", "dalam_pengawasan_khusus"]
    codes = rng.integers(-1, len(labels), 10_000)
    index = pd.Index(rng.permutation(10_000) * 7)
    want = pd.Series(np.array([None, *labels], dtype=object)[codes + 1], index=index, dtype="str", name="x")
    pd.testing.assert_series_equal(core.labels_at(labels, codes, index=index, name="x"), want, check_exact=True)
    empty = core.labels_at(labels, np.array([], dtype=np.int64))
    assert empty.dtype == want.dtype and len(empty) == 0


def test_joined_keys_and_categorize_equal_the_object_versions():
    rng = np.random.default_rng(2)
    masks = [rng.random(3000) < p for p in (0.1, 0.5, 0.02)]
    keys = ["roa", "npl", "bopo"]
    want = pd.Series(core.join_keys(masks, keys), dtype="str")
    pd.testing.assert_series_equal(core.joined_keys(masks, keys), want, check_exact=True)
    assert set(want) >= {"", "npl", "roa; npl"}
    cats = norms.load_norms("ksp2016")["categories"]
    total = pd.Series(np.r_[rng.uniform(0, 100, 3000), np.nan, 80.0, 66.0, 51.0, 50.99])
    by_row = [None if np.isnan(t) else max((c for c in cats if t >= c["min"]), key=lambda c: c["min"],
                                          default={"key": None})["key"] for t in total]
    pd.testing.assert_series_equal(core.categorize(total, cats),
                                   pd.Series(by_row, dtype="str", name="category"), check_exact=True)


def test_month_key_from_stamps_equals_the_calendar():
    stamps = pd.Series(pd.to_datetime(["1969-12-15", "1970-01-01", None, "2024-02-29 13:00", "1900-03-01"],
                                      format="mixed"))
    want = (stamps.dt.year * 12 + stamps.dt.month - 1).to_numpy(dtype="float64", na_value=np.nan)
    np.testing.assert_array_equal(core.month_key(stamps), want)
    np.testing.assert_array_equal(core.month_key(stamps.astype("datetime64[s]")), want)
    aware = stamps.dt.tz_localize("UTC")  # 2024-02-29 13:00Z is still February in Kupang; the path converts
    np.testing.assert_array_equal(core.month_key(aware), want)


def test_panel_columns_are_read_only():
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2024-01-31"]), "equity": [1.0], "members": ["3"]})
    panel = core.Panel(frame)
    for name in ("equity", "members"):
        values = panel.col(name)
        if name == "equity":
            with pytest.raises(ValueError):
                values[0] = 2.0
    assert frame["equity"].iloc[0] == 1.0
