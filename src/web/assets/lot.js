// lotqa console — the lot page's signing form: POSTs the decision with the session's CSRF token and
// the re-entered password to the API, then reloads the lot to show the signed decision.
'use strict';
(function () {
  const form = document.getElementById('sign-form');
  if (!form) return;
  const error = document.getElementById('sign-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const data = new FormData(form);
    const body = {
      disposition: data.get('disposition'),
      reason: String(data.get('reason') || ''),
      password: String(data.get('password') || ''),
    };
    const deviation = String(data.get('deviation') || '').trim();
    if (deviation) body.deviation = deviation;
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const response = await fetch('/api/lots/' + encodeURIComponent(form.dataset.lot) + '/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': form.dataset.csrf },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.message + (answer.hint ? ' — ' + answer.hint : ''));
      window.location.reload();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      error.hidden = false;
      button.disabled = false;
    }
  });
})();

// The review form: owner, comment, 8D/NCR reference, posted to the API with the CSRF token.
(function () {
  const form = document.getElementById('review-form');
  if (!form) return;
  const error = document.getElementById('review-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const data = new FormData(form);
    const response = await fetch('/api/lots/' + encodeURIComponent(form.dataset.lot) + '/review', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': form.dataset.csrf },
      body: JSON.stringify({ kind: data.get('kind'), text: String(data.get('text') || '') }),
      credentials: 'same-origin',
    });
    if (response.ok) return window.location.reload();
    const answer = await response.json();
    error.textContent = answer.message;
    error.hidden = false;
  });
})();
