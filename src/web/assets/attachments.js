// lotqa console — the lot page's attachment form: sends the chosen file as the raw body
// (application/octet-stream, its name in ?name=) with the session's CSRF token, then reloads the lot.
'use strict';
(function () {
  const form = document.getElementById('attach-form');
  if (!form) return;
  const error = document.getElementById('attach-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) return;
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const url = '/api/lots/' + encodeURIComponent(form.dataset.lot) + '/attachments?name=' + encodeURIComponent(file.name);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': form.dataset.csrf },
        body: file,
        credentials: 'same-origin',
      });
      if (response.ok) return window.location.reload();
      const answer = await response.json();
      throw new Error(answer.message);
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      error.hidden = false;
      button.disabled = false;
    }
  });
})();
