/**
 * @module The fonts embedded in every lotqa PDF. The standard PDF fonts cannot show σ, μ, X̄, ≤, ≥ or
 * non-Latin names (stack.md §3), so DejaVu Sans is embedded and subset.
 * Debian's TTF (fonts-dejavu-core) comes first: fontkit re-inflates every WOFF table on each access, which
 * made a one-page certificate take 15 s with the .woff against 0.3 s with the .ttf (profiled here). The
 * npm copy (@fontsource/dejavu-sans, a dependency, same glyph coverage incl. Greek, Hebrew, Arabic) is the
 * fallback so lotqa still works without the system package. Output is byte-identical for the same input on
 * the same machine; two machines with different font sources embed different font bytes. The .woff2
 * files do not load in fontkit, so only .ttf/.woff are used.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ReportFonts {
  readonly regular: string;
  readonly bold: string;
}

const require = createRequire(import.meta.url);

function fromNpm(file: string): string | null {
  try {
    const p = require.resolve(`@fontsource/dejavu-sans/files/${file}`);
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const SYSTEM_DIR = '/usr/share/fonts/truetype/dejavu';

let cached: ReportFonts | null = null;

/** Paths of the regular and bold fonts; throws with an install hint when neither source exists. */
export function reportFonts(): ReportFonts {
  if (cached) return cached;
  const systemRegular = sys('DejaVuSans.ttf');
  const systemBold = sys('DejaVuSans-Bold.ttf');
  const useSystem = systemRegular !== null && systemBold !== null && process.env.LOTQA_PDF_FONT !== 'npm';
  const regular = useSystem ? systemRegular : fromNpm('dejavu-sans-latin-400-normal.woff');
  const bold = useSystem ? systemBold : (fromNpm('dejavu-sans-latin-700-normal.woff') ?? regular);
  if (!regular || !bold) {
    throw new Error(
      'No DejaVu Sans font found for the PDF reports: run `npm install` (package @fontsource/dejavu-sans) ' +
        'or install the Debian package fonts-dejavu-core.',
    );
  }
  cached = Object.freeze({ regular, bold });
  return cached;
}

function sys(file: string): string | null {
  const p = `${SYSTEM_DIR}/${file}`;
  return existsSync(p) ? p : null;
}
