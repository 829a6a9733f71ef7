import { describe, it, expect } from 'vitest';
import { resolve, sep } from 'node:path';
import { safeFileName, printable, fitToWidth, truncateChars } from '../../src/report/text-safety.js';
import { lotReportDir } from '../../src/report/write-lot-reports.js';
import { dateCode, formatValue } from '../../src/report/number-format.js';

describe('file names from lot names', () => {
  it('keeps ordinary lot names as they are', () => {
    expect(safeFileName('L24-0611-A')).toBe('L24-0611-A');
  });

  it('never lets a lot name climb out of the reports folder', () => {
    for (const lot of ['../x', '../../etc/passwd', '/abs/path', '..', '.', 'a/../../b', '..\\..\\win', '\u0000', '']) {
      const name = safeFileName(lot);
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(name).not.toContain('..');
      const dir = lotReportDir('/tmp/out', lot);
      expect(dir.startsWith(resolve('/tmp/out') + sep)).toBe(true);
    }
  });

  it('keeps names distinct when cleaning would make them collide', () => {
    expect(safeFileName('a/b')).not.toBe(safeFileName('a_b'));
    expect(safeFileName('a/b')).not.toBe(safeFileName('a:b'));
  });
});

describe('printable text', () => {
  it('removes control and bidi-override characters and folds line breaks', () => {
    expect(printable('SN\u202E1234\u202C\n\tx\u0007')).toBe('SN1234 x');
    expect(printable('a\uD800b')).toBe('a\uFFFDb');
  });

  it('cuts long text with an ellipsis to the width available', () => {
    const measurer = { widthOfString: (s: string) => Array.from(s).length * 5 };
    expect(fitToWidth(measurer, 'x'.repeat(500), 50)).toBe('x'.repeat(9) + '…');
    expect(fitToWidth(measurer, 'short', 50)).toBe('short');
    expect(truncateChars('שלום עולם', 5)).toBe('שלום…');
  });
});

describe('display formats', () => {
  it('gives ISO-8601 week date codes (YYWW) matching the ISO week-date examples', () => {
    // ISO 8601 week dates (examples in the ISO week date article): 2008-12-29 is 2009-W01; 2010-01-03 is 2009-W53;
    // 2005-01-01 is 2004-W53.
    expect(dateCode('2008-12-29T12:00:00Z')).toBe('0901');
    expect(dateCode('2010-01-03T12:00:00Z')).toBe('0953');
    expect(dateCode('2005-01-01T12:00:00Z')).toBe('0453');
    expect(dateCode('2024-06-11T08:00:00Z')).toBe('2424');
  });

  it('rounds values for display only, never limits', () => {
    expect(formatValue(1311.0437)).toBe('1311');
    expect(formatValue(-2.93456)).toBe('-2.935');
    expect(formatValue(0.00024)).toBe('2.4e-4');
    expect(formatValue(null)).toBe('—');
  });
});
