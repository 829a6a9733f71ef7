// lotqa console — "show the work": a click on any button.explain (on the lot page, the chart page, or one
// added later by analysis-charts.js) fetches the statistic's explanation — an HTML fragment the server
// rendered with every value escaped — and shows it in a modal dialog. No inline script: the CSP forbids it.
'use strict';
(function () {
  let dialog = null;
  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement('dialog');
    dialog.id = 'explain-dialog';
    dialog.className = 'explain-dialog';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.textContent = 'Close';
    close.addEventListener('click', () => dialog.close());
    const body = document.createElement('div');
    body.className = 'explain-body';
    dialog.appendChild(close);
    dialog.appendChild(body);
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.explain') : null;
    if (!button) return;
    event.preventDefault();
    const d = ensureDialog();
    const body = d.querySelector('.explain-body');
    body.textContent = 'Loading…';
    if (!d.open) d.showModal();
    fetch(button.dataset.explain, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then((r) =>
        r.text().then((text) => {
          if (!r.ok) {
            // Errors come back as a whole page: show only its message, as text.
            const doc = new DOMParser().parseFromString(text, 'text/html');
            const message = doc.querySelector('.error');
            throw new Error(message ? message.textContent : 'HTTP ' + r.status);
          }
          return text;
        }),
      )
      .then((fragment) => {
        // The fragment is server-rendered through src/web/html.ts: every value in it is escaped.
        body.innerHTML = fragment;
        d.dataset.ready = 'true';
      })
      .catch((err) => {
        body.textContent = 'The explanation could not be loaded: ' + (err instanceof Error ? err.message : String(err));
        d.dataset.ready = 'error';
      });
  });
})();
