/**
 * @module The console's browser copy of src/counted.ts, served as `/assets/counted.js`. The browser
 * scripts in `assets/` are plain files with no bundler, so this asset is written from the very functions the
 * server runs (their source as compiled), not kept as a second implementation beside them. It sets
 * `window.lotqa.counted` and `window.lotqa.agreeing`; load it before any script that counts.
 */
import { agreeing, counted } from '../domain/counted.js';

/** The asset's path in the console; a page lists it before the scripts that use it. */
export const COUNTED_SCRIPT = '/assets/counted.js';

/** The asset's text: both functions, self-contained (they call nothing else). */
export const COUNTED_ASSET_JS = [
  "'use strict';",
  '// lotqa console — a count and its noun in words ("1 lot", "12 lots"): src/counted.ts as the server runs it.',
  `window.lotqa = Object.freeze({ counted: ${counted.toString()}, agreeing: ${agreeing.toString()} });`,
  '',
].join('\n');
