"""Peer groups, small-group merging, percentile ranks and peer medians."""

import numpy as np
import pandas as pd
import pytest

from indicators import peers

REGISTRY = pd.DataFrame({"nik": [str(i) for i in range(14)],
                         "type": ["konsumen"] * 12 + ["jasa"] * 2})
# konsumen: six under Rp500 juta (band a), three in band b, three in band c; jasa: one in a, one in c.
ASSETS = [1e8] * 6 + [1e9] * 3 + [5e9] * 3 + [1e8, 5e9]
VALUES = pd.DataFrame({"nik": [str(i) for i in range(14)], "period_end": pd.Timestamp("2024-12-31"),
                       "total_assets": ASSETS, "x": np.arange(14, dtype=float)})


def test_small_groups_merge_into_the_neighbouring_band():
    """konsumen b (3) and c (3) are below 5: the smallest (b, tie → lower) merges with its smaller neighbour
    (c has 3 < a's 6) → b-c with 6. jasa a (1) and c (1) merge (only one group left, still small)."""
    g = peers.assign_peer_groups(VALUES, REGISTRY)
    assert g["peer_group"].tolist() == ["konsumen:a"] * 6 + ["konsumen:b-c"] * 6 + ["jasa:a-c"] * 2
    assert g["size_band"].tolist()[6:9] == ["b", "b", "b"]


def test_merge_rule_on_counts():
    """[10, 3, 7, 2]: 2 joins 7 (9), then 3 joins its smaller neighbour 9 → groups (0) and (1–3). [6, 4, 6]: 4 joins the lower 6 on a tie. [5, 5]: nothing small."""
    assert peers._merge_small([10, 3, 7, 2], 5) == [(0, 0), (1, 3)]    # 2→7 (9), then 3→9 (12)
    assert peers._merge_small([6, 4, 6], 5) == [(0, 1), (2, 2)]         # tie → lower neighbour
    assert peers._merge_small([5, 5], 5) == [(0, 0), (1, 1)]            # nothing small


def test_percentile_ranks_within_peer_group_ncua_style():
    """konsumen:a holds x = 0..5: share strictly lower = 0, 1/6, …, 5/6 → 0, 16.7, …, 83.3."""
    r = peers.rank_within_peers(VALUES, REGISTRY, ["x"])
    assert r["pct_x"].iloc[:6].tolist() == pytest.approx([0, 100 / 6, 200 / 6, 50, 400 / 6, 500 / 6])
    assert r["pct_x"].iloc[12:].tolist() == pytest.approx([0, 50])


def test_linear_percentile_and_ties():
    """Values 1, 2, 2, 4 with the linear rule: (rank − 1)/(n − 1) → 0, 33.3, 33.3, 100."""
    f = pd.DataFrame({"peer_group": ["g"] * 4, "x": [1.0, 2.0, 2.0, 4.0]})
    norms = peers.load_norms()
    norms["grouping"]["percentile_method"] = "linear"
    assert peers.percentile_ranks(f, ["x"], norms=norms)["pct_x"].tolist() == pytest.approx([0, 100 / 3, 100 / 3, 100])


def test_peer_median_and_iqr():
    """konsumen:a x = 0..5: q1 1.25, median 2.5, q3 3.75, IQR 2.5 (linear interpolation)."""
    f = pd.concat([VALUES, peers.assign_peer_groups(VALUES, REGISTRY)[["peer_group"]]], axis=1)
    s = peers.peer_summary(f, ["x"]).set_index("peer_group")
    assert s.loc["konsumen:a", ["n", "q1", "median", "q3", "iqr"]].tolist() == pytest.approx([6, 1.25, 2.5, 3.75, 2.5])
