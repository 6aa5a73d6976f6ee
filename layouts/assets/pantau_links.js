/* Pantau Koperasi NTT: AG Grid cell renderers that link a row to its page (the cell keeps its plain value, so
   the CSV export holds the name, not markup). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

/* The cooperative's name linking to its profile, /koperasi/<nik> (the row needs a `nik` field). */
dagcomponentfuncs.PantauCoopLink = function (props) {
    if (!props.data || !props.data.nik) {
        return props.value;
    }
    return React.createElement(
        "a", {href: "/koperasi/" + encodeURIComponent(props.data.nik), className: "coop-link"}, props.value
    );
};

/* Numbers in grid cells the reader's way (id: 1.234,5; en: 1,234.5); the cell keeps the number, so sorting,
   filtering and the CSV export see the value itself. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
dagfuncs.PantauNumber = function (value, lang, digits) {
    if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) {
        return "";
    }
    return new Intl.NumberFormat(lang === "en" ? "en-US" : "id-ID", {
        minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0
    }).format(Number(value));
};
