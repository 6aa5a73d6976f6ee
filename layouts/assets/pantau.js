/* Pantau Koperasi NTT: browser-side helpers (loaded by Dash from the assets folder). */

/* A CSV cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the start)
   is written with a leading apostrophe (OWASP CSV injection). Numbers stay numbers. */
function pantauSafeCell(params) {
    const value = params.value;
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(value)) {
        return "'" + value;
    }
    return value;
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
    pantau: {
        /* The grid's own export: exactly its filtered, sorted rows, with the page's prefix (BOM, DATA SIMULASI). */
        exportGrid: function (clicks, buttonId, params) {
            if (!clicks) {
                return window.dash_clientside.no_update;
            }
            const api = dash_ag_grid.getApi(buttonId.grid);
            api.exportDataAsCsv(Object.assign({}, params, {processCellCallback: pantauSafeCell}));
            return clicks;
        }
    }
});
