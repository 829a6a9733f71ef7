// lotqa console — the verify page: sends the chosen PDF to /api/verify and shows the verdict. Text only
// (textContent): nothing from the PDF or the store is ever inserted as HTML.
'use strict';
(function () {
  const form = document.getElementById('verify-form');
  const out = document.getElementById('verify-result');
  const WORDS = {
    'issued-unaltered':
      'Issued and unaltered: this exact file was issued from this store, and it still describes the stored data and decision.',
    'matches-but-not-this-file':
      'The certificate describes the stored data, but this exact file was never recorded as issued (a draft, or a re-saved copy).',
    mismatch: 'Mismatch: this certificate does not describe what the store holds.',
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
    line('h2', WORDS[r.verdict] || r.verdict, r.verdict === 'issued-unaltered' ? 'signature' : 'error');
    out.id = 'verify-result';
    out.dataset.verdict = r.verdict;
    if (r.lot) line('p', 'Lot ' + r.lot + ' revision ' + r.revision + (r.issuedDocumentId ? ', certificate ' + r.issuedDocumentId : ''));
    line('p', 'File SHA-256 ' + r.pdfSha256);
    if (r.lot) line('p', r.dataUnchanged ? "The lot's files are unchanged since." : 'Files were added to the lot since this revision.');
    if (r.message) line('p', r.message, 'error');
    for (const d of r.differences) line('p', d.field + ': certificate says ' + d.certificate + ', store says ' + d.store, 'error');
  });
})();
