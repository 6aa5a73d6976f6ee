/* Kirim Laporan: the files the reader dropped or chose are posted as multipart to the page's own route (with the
   session's CSRF token), never inside a Dash callback; the answer is the batch id the page then follows. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kirim: {
        send: async function (contents, names, config) {
            var noUpdate = window.dash_clientside.no_update;
            if (!contents || !contents.length || !config) {
                return [noUpdate, noUpdate];
            }
            var messages = config.messages || {};
            function alertBox(text) {
                return {type: "Div", namespace: "dash_html_components",
                        props: {children: text, className: "alert alert-danger py-2 small", id: "up-send-error"}};
            }
            if (contents.length > config.max_files) {
                return [noUpdate, alertBox(messages.too_many)];
            }
            var form = new FormData();
            for (var i = 0; i < contents.length; i++) {
                /* a data URL (data:<type>;base64,<bytes>) back into the file's own bytes */
                var url = contents[i];
                var comma = url.indexOf(",");
                var binary = atob(url.slice(comma + 1));
                var bytes = new Uint8Array(binary.length);
                for (var j = 0; j < binary.length; j++) {
                    bytes[j] = binary.charCodeAt(j);
                }
                form.append("files", new Blob([bytes]), names[i]);
            }
            var headers = {};
            if (config.csrf) {
                headers["X-CSRFToken"] = config.csrf;
            }
            try {
                var answer = await fetch(config.url, {method: "POST", body: form, headers: headers,
                                                      credentials: "same-origin"});
                var body = {};
                try {
                    body = await answer.json();
                } catch (ignored) {
                    body = {};
                }
                if (answer.status === 413) {
                    return [noUpdate, alertBox(messages.too_large)];
                }
                if (!answer.ok || !body.batch) {
                    return [noUpdate, alertBox(body.message || messages.failed)];
                }
                return [body.batch, {type: "Div", namespace: "dash_html_components",
                                     props: {children: messages.sending, className: "text-muted",
                                             id: "up-sent"}}];
            } catch (error) {
                return [noUpdate, alertBox(messages.failed)];
            }
        }
    }
});
