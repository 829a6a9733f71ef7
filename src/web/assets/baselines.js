// lotqa console — the Baselines page: an approver approves or rejects a proposed baseline with the
// re-entered password (an electronic signature), posted with the session's CSRF token; then reloads.
'use strict';
(function () {
  for (const form of document.querySelectorAll('form.baseline-sign')) {
    const error = form.querySelector('.error');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      const data = new FormData(form);
      const verdict = event.submitter && event.submitter.value === 'reject' ? 'reject' : 'approve';
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      try {
        const response = await fetch('/api/baselines/' + encodeURIComponent(form.dataset.baseline) + '/approval', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': form.dataset.csrf },
          body: JSON.stringify({ verdict, reason: String(data.get('reason') || ''), password: String(data.get('password') || '') }),
          credentials: 'same-origin',
        });
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.message + (answer.hint ? ' — ' + answer.hint : ''));
        window.location.reload();
      } catch (err) {
        error.textContent = err instanceof Error ? err.message : String(err);
        error.hidden = false;
        for (const b of form.querySelectorAll('button')) b.disabled = false;
      }
    });
  }
})();
