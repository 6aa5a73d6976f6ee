/* Rankings and profile grids: number formats in the reader's language, percentile labels, name links, category
   badges. Raw numbers stay in the rows, so sorting is numeric and the CSV export holds plain values. */
(function () {
    "use strict";
    var formats = {};

    function numberFormat(lang, digits) {
        var key = lang + digits;
        if (!formats[key]) {
            formats[key] = new Intl.NumberFormat(lang === "en" ? "en-US" : "id-ID",
                {minimumFractionDigits: digits, maximumFractionDigits: digits});
        }
        return formats[key];
    }

    var functions = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

    /* 1.234,5 (id) / 1,234.5 (en); an en dash for a missing value. */
    functions.rankingsNumber = function (value, digits, lang, suffix) {
        if (value === null || value === undefined || value === "" || isNaN(value)) {
            return "\u2013";
        }
        return numberFormat(lang, digits).format(value) + (suffix || "");
    };

    /* A percentile 0-100 as "P75". */
    functions.rankingsPercentile = function (value) {
        if (value === null || value === undefined || value === "" || isNaN(value)) {
            return "\u2013";
        }
        return "P" + Math.round(value);
    };

    var renderers = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

    /* The cell's text as a link: to the row's `href` (a kabupaten's cooperatives), or to `prefix` + the row's NIK
       (a cooperative's profile) when the column gives a prefix. */
    renderers.RankingsCoopLink = function (props) {
        var data = props.data || {};
        var href = props.prefix && data.nik ? props.prefix + encodeURIComponent(data.nik) : data.href;
        if (!href) {
            return props.value === null || props.value === undefined ? "" : String(props.value);
        }
        return React.createElement("a", {href: href, className: "rankings-link"}, props.value);
    };

    /* The category label as a coloured badge (colour from the row's `health_category` key). */
    renderers.RankingsCategory = function (props) {
        var key = (props.data && props.data.health_category) || "none";
        return React.createElement("span", {className: "badge rankings-cat rankings-cat-" + key}, props.value);
    };
})();

/* The cooperative ranking's rows, fetched as plain JSON from the page's own endpoint (see rankings.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    rankings: {
        loadRows: function (src) {
            if (!src) {
                return [window.dash_clientside.no_update, window.dash_clientside.no_update];
            }
            return fetch(src, {credentials: "same-origin"})
                .then(function (response) { return response.ok ? response.json() : []; })
                .then(function (rows) { return [rows, String(rows.length)]; });
        }
    }
});
