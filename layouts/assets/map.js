/* Pantau Koperasi NTT, map page: fit the map's zoom to its card, and the cooperative-name link cell. */

window.pantauMap = (function () {
    function mercY(lat) {
        return Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI / 180) / 2));
    }

    /* The MapLibre zoom (512-pixel world at zoom 0) that shows bbox [minLon, minLat, maxLon, maxLat] in w × h pixels. */
    function zoomFor(bbox, w, h) {
        const zx = Math.log2(w * 360 / (512 * Math.max(bbox[2] - bbox[0], 1e-6)));
        const zy = Math.log2(h * 2 * Math.PI / (512 * Math.max(mercY(bbox[3]) - mercY(bbox[1]), 1e-9)));
        return Math.min(zx, zy);
    }

    function ready(gd) {
        const full = gd && gd._fullLayout;
        const sub = full && full.map && full.map._subplot;
        return Boolean(sub && sub.map && sub.map.loaded() && full.meta && full.meta.bbox && window.Plotly);
    }

    /* Fit once per plot size: the graph is responsive, so its final size is known only after the first draw
       (and changes when a phone turns); MapLibre has no "fit these bounds" in Plotly's figure schema. */
    function fitNow(gd) {
        const full = gd._fullLayout;
        const size = full._size;  /* plot area in pixels, without margins (the colour bar sits in the margin) */
        const key = Math.round(size.w) + "x" + Math.round(size.h);
        if (gd.dataset.pantauFitted === key) {
            return;
        }
        gd.dataset.pantauFitted = key;
        const bbox = full.meta.bbox;
        const zoom = zoomFor(bbox, size.w * 0.97, size.h * 0.97);
        window.Plotly.relayout(gd, {
            "map.zoom": Math.round(zoom * 100) / 100,
            "map.center": {lon: (bbox[0] + bbox[2]) / 2, lat: (bbox[1] + bbox[3]) / 2}
        });
    }

    function schedule(gd) {
        clearTimeout(gd._pantauFitTimer);
        let tries = 0;
        const attempt = function () {
            if (!document.body.contains(gd)) {
                return;
            }
            if (ready(gd)) {
                fitNow(gd);
            } else if (tries++ < 50) {
                gd._pantauFitTimer = setTimeout(attempt, 100);
            }
        };
        gd._pantauFitTimer = setTimeout(attempt, 200);
    }

    function fit(figure, id) {
        let tries = 0;
        const find = function () {
            const gd = document.querySelector("#" + id + " .js-plotly-plot");
            if (!gd) {
                if (tries++ < 50) {
                    setTimeout(find, 100);
                }
                return;
            }
            delete gd.dataset.pantauFitted;  /* a new figure: fit again */
            if (!gd._pantauObserver && window.ResizeObserver) {
                gd._pantauObserver = new ResizeObserver(function () { schedule(gd); });
                gd._pantauObserver.observe(gd);
            }
            schedule(gd);
        };
        setTimeout(find, 0);
        return Date.now();
    }

    return {fit: fit, zoomFor: zoomFor};
})();

/* AG Grid cell: the cooperative's name linking to its profile (the CSV export keeps the plain name). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
dagcomponentfuncs.MapCoopLink = function (props) {
    if (!props.data || !props.data.nik) {
        return props.value;
    }
    return React.createElement("a", {href: "/koperasi/" + encodeURIComponent(props.data.nik)}, props.value);
};
