/** Nothing from the data is rendered unescaped: station files name lots, serials and reasons. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, query } from '../../src/web/html.js';

/** The same tag under another name, so the formatter leaves the expected HTML byte for byte. */
const h = html;

describe('html templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const serial = `SN"><img src=x onerror=alert(1)>'`;
    expect(h`<td title="${serial}">${serial}</td>`.text).toBe(
      '<td title="SN&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;">SN&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;</td>',
    );
  });

  it('passes nested templates and arrays of them through once, and drops null, undefined and false', () => {
    const rows = ['<a>', 'b&c'].map((s) => h`<li>${s}</li>`);
    expect(h`<ul>${rows}${null}${undefined}${false}</ul>`.text).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
  });

  it('a plain string that looks like a template result is still escaped', () => {
    const forged = { text: '<script>', toString: () => '<script>' };
    expect(h`${forged}`.text).toBe('&lt;script&gt;');
    expect(escapeHtml('`')).toBe('&#96;');
  });

  it('encodes query values', () => {
    expect(query({ parameter: 'tx power&x', lane: 2, none: null })).toBe('?parameter=tx%20power%26x&lane=2');
  });
});
