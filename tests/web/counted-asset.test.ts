/**
 * The console's browser scripts count in words with the server's own counted()/agreeing(): the served
 * `/assets/counted.js` is run in a fresh context (as a browser runs a classic script) and must give what
 * src/counted.ts gives, for the singular, the plural, zero and an irregular plural.
 */
import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { agreeing, counted } from '../../src/domain/counted.js';
import { COUNTED_ASSET_JS } from '../../src/web/counted-asset.js';

type Counted = typeof counted;
type Agreeing = typeof agreeing;

function loadAsset(): { counted: Counted; agreeing: Agreeing } {
  const window: { lotqa?: { counted: Counted; agreeing: Agreeing } } = {};
  runInNewContext(COUNTED_ASSET_JS, { window });
  if (!window.lotqa) throw new Error('assets/counted.js did not set window.lotqa');
  return window.lotqa;
}

describe('the console copy of counted()', () => {
  it('is self-contained and names counts as the server does ("1 lot", "0 lots", "12 lots", "2 analyses")', () => {
    const browser = loadAsset();
    for (const n of [0, 1, 2, 12]) {
      expect(browser.counted(n, 'lot')).toBe(counted(n, 'lot'));
      expect(browser.counted(n, 'analysis', 'analyses')).toBe(counted(n, 'analysis', 'analyses'));
      expect(browser.agreeing(n, 'was', 'were')).toBe(agreeing(n, 'was', 'were'));
    }
    expect([browser.counted(1, 'lot'), browser.counted(12, 'lot'), browser.counted(2, 'analysis', 'analyses')]).toEqual([
      '1 lot',
      '12 lots',
      '2 analyses',
    ]);
    expect([browser.agreeing(1, 'was', 'were'), browser.agreeing(3, 'was', 'were')]).toEqual(['was', 'were']);
  });

  it('is frozen, so no page script can swap the wording', () => {
    const browser = loadAsset();
    expect(Object.isFrozen(browser)).toBe(true);
  });
});
