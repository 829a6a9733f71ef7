// lotqa console — the verify page: sends the chosen PDF to /api/verify and shows the verdict. Text only
// (textContent): nothing from the PDF or the store is ever inserted as HTML.
'use strict';
(function () {
  const form = document.getElementById('verify-form');
  const out = document.getElementById('verify-result');
  const WORDS = {
    valid: 'Valid: an issued, unaltered certificate of the lot as it is now.',
    altered: 'Altered: this file is not the certificate that was issued.',
    unknown: 'Unknown: no certificate with this content was issued from this store.',
    superseded: 'Superseded: a later revision of this certificate replaced it.',
    'lot-changed': 'The lot has changed since this certificate was issued (new files or a new evaluation).',
    'not-verifiable': 'Not verifiable against this store.',
  };
  function line(tag, text, cls) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    out.appendChild(el);
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) return;
    out.replaceChildren();
    out.hidden = false;
    const response = await fetch('/api/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-csrf-token': form.dataset.csrf },
      body: file,
      credentials: 'same-origin',
    });
    const r = await response.json();
    if (!response.ok) {
      line('p', r.message, 'error');
      return;
    }
    line('h2', WORDS[r.verdict] || r.verdict, r.verdict === 'valid' ? 'signature' : 'error');
    out.id = 'verify-result';
    out.dataset.verdict = r.verdict;
    if (r.lot)
      line(
        'p',
        'Lot ' +
          r.lot +
          ' revision ' +
          r.revision +
          (r.certificateNumber ? ', certificate ' + r.certificateNumber + ' revision ' + r.certificateRevision : ''),
      );
    line('p', 'File SHA-256 ' + r.pdfSha256);
    for (const f of r.findings) line('p', f);
    if (r.message) line('p', r.message, 'error');
    for (const d of r.differences) line('p', d.field + ': certificate says ' + d.certificate + ', store says ' + d.store, 'error');
  });
})();
