"""A grid's CSV button exports exactly the rows the grid shows — filtered and sorted by the reader — with the BOM,
the DATA SIMULASI line and formula injection neutralised (headless Chromium, a real download)."""
import csv
import io
import time

import pytest
from selenium.webdriver.common.by import By

from tests.support.browser import console_errors, open_page

pytestmark = pytest.mark.browser
GRID = "dq-runs-grid"


def test_grid_csv_is_the_filtered_sorted_rows_with_injection_guarded(province_app, browser, tmp_path):
    open_page(browser, province_app + "/pelaporan?tab=impor", ready_css=f"#{GRID} .ag-row")
    # The reader filters on one file name pattern and sorts by rows loaded, largest first; a row whose target
    # looks like a spreadsheet formula is added to check the guard.
    shown = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const api = dash_ag_grid.getApi(arguments[0]);
        api.applyTransaction({add: [{id: 999999, source: "inbox", target: "=HYPERLINK(\\"http://x\\")",
                                     rows_loaded: 10 ** 9}]});
        api.setFilterModel({source: {filterType: "text", type: "equals", filter: "inbox"}});
        api.applyColumnState({state: [{colId: "rows_loaded", sort: "desc"}], defaultState: {sort: null}});
        setTimeout(() => {
            const ids = [];
            api.forEachNodeAfterFilterAndSort(node => ids.push(String(node.data.id)));
            done(ids);
        }, 300);
    """, GRID)
    assert len(shown) > 2 and shown[0] == "999999"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.find_element(By.CSS_SELECTOR, f"button[id*='grid-export'][id*='{GRID}']").click()
    target = downloads / f"{GRID}.csv"
    deadline = time.time() + 30
    while not target.exists() and time.time() < deadline:
        time.sleep(0.2)
    raw = target.read_bytes()
    assert raw.startswith("\ufeffDATA SIMULASI".encode())  # one byte-order mark, then the label line
    body = raw.decode("utf-8-sig").split("\n", 1)[1]
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], [r for r in rows[1:] if r]
    first_column = [r[0] for r in data]
    assert first_column == shown  # exactly the grid's rows, in the grid's order
    target_col = header.index(next(h for h in header if h.startswith("Berkas")))
    assert data[0][target_col] == "'=HYPERLINK(\"http://x\")"  # would otherwise run in a spreadsheet
    assert all(r[header.index("Sumber")] == "inbox" for r in data)
    assert not console_errors(browser)
