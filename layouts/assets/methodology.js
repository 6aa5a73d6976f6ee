/* Pantau Koperasi NTT: the Metodologi page scrolls to the entry named by the URL's hash (#ind-<id>, #pop-<key>).
   Dash draws the page after the browser has looked for the hash target, so the browser alone never scrolls there:
   wait for the entry to appear (page load, a footnote link from another page, a link within the page). */
(function () {
    const PAGE = /\/metodologi\/?$/;
    const WAIT_MS = 20000;
    let watching = null;

    function mark(target) {
        document.querySelectorAll(".methodology-target").forEach(function (el) {
            el.classList.remove("methodology-target");
        });
        target.classList.add("methodology-target");
        target.scrollIntoView({block: "start", behavior: "instant"});
        /* Parts drawn later (the norm-file Markdown loads on its own) change the page's height: scroll again while
           it still changes, and stop once it is still, so the reader's own scrolling wins. */
        let height = document.documentElement.scrollHeight;
        let rounds = 20;
        (function settle() {
            window.setTimeout(function () {
                const now = document.documentElement.scrollHeight;
                if (now !== height) {
                    target.scrollIntoView({block: "start", behavior: "instant"});
                    height = now;
                }
                if (--rounds > 0) {
                    settle();
                }
            }, 150);
        })();
    }

    function scrollToHash() {
        if (watching) {
            watching.disconnect();
            watching = null;
        }
        const name = decodeURIComponent(window.location.hash.replace(/^#/, ""));
        if (!name || !PAGE.test(window.location.pathname)) {
            return;
        }
        const found = document.getElementById(name);
        if (found) {
            mark(found);
            return;
        }
        const observer = new MutationObserver(function () {
            const target = document.getElementById(name);
            if (target) {
                observer.disconnect();
                watching = null;
                mark(target);
            }
        });
        observer.observe(document.body, {childList: true, subtree: true});
        watching = observer;
        window.setTimeout(function () {
            observer.disconnect();
        }, WAIT_MS);
    }

    /* dcc.Link announces its client-side navigation with this event and then scrolls to the top itself: look for
       the entry after that. hashchange covers plain links within the page. */
    window.addEventListener("_dashprivate_pushstate", function () {
        window.setTimeout(scrollToHash, 0);
    });
    window.addEventListener("hashchange", scrollToHash);
    window.addEventListener("popstate", scrollToHash);
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", scrollToHash);
    } else {
        scrollToHash();
    }
})();
