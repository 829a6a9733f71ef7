/**
 * @module Shaping a word from its characters, exactly as fontkit would shape it whole.
 *
 * pdfkit shapes every new word (number, serial, label) with fontkit's full OpenType layout: ≈ 0.08 ms a
 * word once warm and ≈ 0.35 ms in a fresh process — a 10,000-unit engineering report has ~4,000 distinct
 * words, ≈ 1.3 s of its first render. For a word whose glyphs no substitution (GSUB) and no positioning
 * other than pair kerning (GPOS PairPos) can touch, fontkit's result is the glyph of each character at its
 * advance, plus, for each adjacent pair, that pair's kerning: PairPos gates on the first glyph and adds
 * value1 to it and value2 to the glyph after (fontkit does not skip the second glyph), so adjustments are
 * additive per position. Here such a word is composed from each glyph's advance and the kerning of each
 * pair, read from the pair lookups fontkit would select for the word's script (cached per pair) — the same
 * integers in font units, scaled as pdfkit scales them, so the same glyphs, positions and widths and
 * therefore the same PDF bytes. A ligature (DejaVu's f before f, i or l) sends just the words holding
 * that pair to fontkit.
 *
 * Which glyphs qualify is read from the font's own tables, once per font: a glyph qualifies when no lookup
 * of a feature fontkit applies by default lists it in the coverage that gates the lookup at a glyph, it
 * is not a mark (GDEF), and the font has no variations or AAT tables. Characters are limited to Latin and
 * Common-script ones (ASCII, Latin-1, a few symbols), so a word's script — and with it the script's lookups
 * — is `latn` or fontkit's "unknown" and the parts are shaped under the word's script. Anything else, and
 * any font whose tables do not read as expected, goes through fontkit unchanged (fail safe: slower, never
 * different). `tests/report/composed-shaping.test.ts` checks every one- and two-character string and
 * random longer ones against fontkit on the fonts lotqa embeds, and whole reports byte for byte.
 */

/** The GSUB/GPOS features fontkit's default shaper applies (fontkit 2, DefaultShaper + directional + fractions). */
const APPLIED_FEATURES = new Set([
  'rvrn',
  'ltra',
  'ltrm',
  'frac',
  'numr',
  'dnom',
  'ccmp',
  'locl',
  'rlig',
  'mark',
  'mkmk',
  'calt',
  'clig',
  'liga',
  'rclt',
  'curs',
  'kern',
]);

/** fontkit's script tag for a string of Common-script characters only (its `Unknown`). */
const UNKNOWN_SCRIPT = 'zzzz';
/** Scripts fontkit falls back to when the font has no table for the requested one. */
const DEFAULT_SCRIPTS = ['DFLT', 'dflt', 'latn'];

/** Common-script symbols beyond Latin-1 that reports draw (dashes, quotes, ellipsis, math, arrows). */
const COMMON_SYMBOLS = new Set('–—‘’“”•…−≤≥≈↑↓→←●◇◆■□✓✗№‰'.split(''));

/** Script of a character for composition: 'latn', 'common', or null (not composed). */
function charScript(code: number): 'latn' | 'common' | null {
  if (code >= 0x20 && code <= 0x7e) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? 'latn' : 'common';
  if (code >= 0xa0 && code <= 0xff) {
    if (code === 0xad) return null; // soft hyphen: a default ignorable, hidden by fontkit
    if (code === 0xaa || code === 0xba || (code >= 0xc0 && code !== 0xd7 && code !== 0xf7)) return 'latn';
    return 'common';
  }
  return COMMON_SYMBOLS.has(String.fromCharCode(code)) ? 'common' : null;
}

// ── fontkit's parsed tables, typed loosely (internals) ───────────────────────────────────────────
interface Coverage {
  version: number;
  glyphs?: ArrayLike<number>;
  rangeRecords?: ArrayLike<{ start: number; end: number; startCoverageIndex: number }>;
}
interface Subtable {
  coverage?: Coverage;
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  coverages?: ArrayLike<Coverage>;
  inputCoverage?: ArrayLike<Coverage>;
  lookupType?: number;
  extension?: Subtable;
  /** Chaining context, format 2: class definitions and the rules per input class. */
  backtrackClassDef?: ClassDef;
  inputClassDef?: ClassDef;
  lookaheadClassDef?: ClassDef;
  chainClassSet?: IndexedList<ArrayLike<ChainRule> | null>;
  /** Chaining context, format 3: a coverage per position. */
  backtrackCoverage?: ArrayLike<Coverage>;
  lookaheadCoverage?: ArrayLike<Coverage>;
  version?: number;
  /** Pair positioning, format 1: per covered first glyph, its second glyphs and values. */
  pairSets?: IndexedList<ArrayLike<{ secondGlyph: number; value1?: ValueRecord; value2?: ValueRecord }>>;
  /** Pair positioning, format 2: class definitions and a value pair per class pair. */
  classDef1?: ClassDef;
  classDef2?: ClassDef;
  classRecords?: IndexedList<IndexedList<{ value1?: ValueRecord; value2?: ValueRecord }>>;
  /** Ligature substitution: per covered glyph, its ligatures' components after the first glyph. */
  ligatureSets?: ArrayLike<ArrayLike<{ components: ArrayLike<number> }>> | { get(i: number): ArrayLike<{ components: ArrayLike<number> }> };
}
interface ValueRecord {
  xAdvance?: number | null;
  yAdvance?: number | null;
  xPlacement?: number | null;
  yPlacement?: number | null;
}
interface ChainRule {
  backtrack: ArrayLike<number>;
  input: ArrayLike<number>;
  lookahead: ArrayLike<number>;
}
type IndexedList<T> = ArrayLike<T> | { get(i: number): T };

function at<T>(list: IndexedList<T>, i: number): T | undefined {
  return typeof (list as { get?: unknown }).get === 'function' ? (list as { get(i: number): T }).get(i) : (list as ArrayLike<T>)[i];
}

interface Lookup {
  lookupType: number;
  flags: { flags?: { ignoreBaseGlyphs?: boolean; ignoreLigatures?: boolean } };
  subTables: ArrayLike<Subtable> | { toArray(): Subtable[] };
}
interface LayoutTable {
  scriptList: ArrayLike<{ tag: string; script: { defaultLangSys?: { featureIndexes: ArrayLike<number> } } }>;
  featureList: ArrayLike<{ tag: string; feature: { lookupListIndexes: ArrayLike<number> } }>;
  lookupList: { get?(i: number): Lookup; toArray?(): Lookup[]; length: number };
}
interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: ArrayLike<number>;
  classRangeRecord?: ArrayLike<{ start: number; end: number; class: number }>;
}
interface FontkitGlyph {
  id: number;
  advanceWidth: number;
}
interface FontkitPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FontkitRun {
  glyphs: FontkitGlyph[];
  positions: FontkitPosition[];
}
/** The parts of a fontkit font read here. */
export interface FontkitFont {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  directory: { tables: Record<string, unknown> };
  glyphForCodePoint(code: number): FontkitGlyph;
  layout(text: string, features?: unknown, script?: string): FontkitRun;
}

/** A laid-out run as pdfkit keeps it (positions scaled to 1/1000 em, advanceWidth their sum). */
export interface ComposedRun {
  readonly glyphs: FontkitGlyph[];
  readonly positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }[];
  readonly advanceWidth: number;
}

function toArray<T>(list: ArrayLike<T> | { toArray(): T[] } | undefined): T[] {
  if (list === undefined) return [];
  if (typeof (list as { toArray?: unknown }).toArray === 'function') return (list as { toArray(): T[] }).toArray();
  return Array.from(list as ArrayLike<T>);
}

/** Lookup `i` of a table, decoded alone (fontkit's lazy list decodes each lookup on first access). */
function lookupAt(table: LayoutTable, i: number): Lookup | undefined {
  const list = table.lookupList;
  if (typeof list.get === 'function') return list.get(i);
  return (list as unknown as ArrayLike<Lookup>)[i];
}

/** Index of `glyph` in a coverage table, -1 when not covered. */
function coverageIndex(coverage: Coverage, glyph: number): number {
  if (coverage.version === 1) return toArray(coverage.glyphs).indexOf(glyph);
  if (coverage.version === 2) {
    for (const r of toArray(coverage.rangeRecords)) {
      if (r.start <= glyph && glyph <= r.end) return r.startCoverageIndex + glyph - r.start;
    }
    return -1;
  }
  throw new Error(`unknown coverage format ${coverage.version}`);
}

function covers(coverage: Coverage | undefined, glyph: number): boolean {
  return coverage !== undefined && coverageIndex(coverage, glyph) !== -1;
}

/** The coverage that gates a subtable at the current glyph (throws when the subtable has none: unsupported). */
function gate(sub: Subtable): Coverage {
  const g = sub.coverage ?? sub.markCoverage ?? sub.mark1Coverage ?? toArray(sub.coverages)[0] ?? toArray(sub.inputCoverage)[0];
  if (!g) throw new Error('subtable without a gating coverage');
  return g;
}

function classOf(def: ClassDef | undefined, glyph: number): number {
  if (!def) return 0;
  if (def.version === 1) {
    const values = toArray(def.classValueArray);
    const i = glyph - (def.startGlyph ?? 0);
    return i >= 0 && i < values.length ? values[i]! : 0;
  }
  if (def.version === 2) return toArray(def.classRangeRecord).find((r) => r.start <= glyph && glyph <= r.end)?.class ?? 0;
  throw new Error(`unknown class definition format ${def.version}`);
}

/**
 * Lookups (with their subtables, extensions unwrapped) of the applied features among `features` (feature
 * indexes) of a table. Only these lookups are decoded: DejaVu's tables hold hundreds for other scripts.
 */
function appliedLookups(
  table: LayoutTable,
  extensionType: number,
  features: readonly number[],
): { lookup: Lookup; type: number; subs: Subtable[] }[] {
  const wanted = new Set<number>();
  const list = toArray(table.featureList);
  for (const fi of features) {
    const f = list[fi];
    if (f && APPLIED_FEATURES.has(f.tag)) for (const i of toArray(f.feature.lookupListIndexes)) wanted.add(i);
  }
  return [...wanted].map((i) => {
    const lookup = lookupAt(table, i);
    if (!lookup) throw new Error(`lookup ${i} not in the lookup list`);
    let type = lookup.lookupType;
    const subs = toArray(lookup.subTables).map((s) => {
      if (type !== extensionType) return s;
      if (!s.extension || s.lookupType === undefined) throw new Error('extension subtable without its table');
      return s.extension;
    });
    if (type === extensionType) type = toArray(lookup.subTables)[0]?.lookupType ?? type;
    return { lookup, type, subs };
  });
}

/** The feature indexes of the script (default language) fontkit selects for `script`. */
function scriptFeatures(table: LayoutTable, script: string): number[] {
  const scripts = toArray(table.scriptList);
  const entry = scripts.find((s) => s.tag === script) ?? DEFAULT_SCRIPTS.map((t) => scripts.find((s) => s.tag === t)).find(Boolean);
  return toArray(entry?.script.defaultLangSys?.featureIndexes);
}

/** Whether the GPOS script fontkit selects for `script` kerns through GPOS (else the legacy kern table would). */
function gposKerns(gpos: LayoutTable, script: string): boolean {
  const features = toArray(gpos.featureList);
  return scriptFeatures(gpos, script).some((i) => features[i]?.tag === 'kern');
}

/** Adds a PairPos value record to a position as fontkit's applyPositionValue does (no device tables). */
function addValue(p: FontkitPosition, v: ValueRecord | undefined): void {
  if (!v) return;
  if (v.xAdvance != null) p.xAdvance += v.xAdvance;
  if (v.yAdvance != null) p.yAdvance += v.yAdvance;
  if (v.xPlacement != null) p.xOffset += v.xPlacement;
  if (v.yPlacement != null) p.yOffset += v.yPlacement;
}

type Part = { glyph: FontkitGlyph; pos: FontkitPosition };

/** What composition needs of one font: which glyphs qualify, their one-glyph layouts and kerned pairs. */
class FontShaper {
  readonly #font: FontkitFont;
  /** Per glyph id: qualifies for composition (analysed on first sight). */
  readonly #qualifies = new Map<number, boolean>();
  readonly #singles = new Map<string, Part | null>();
  readonly #pairs = new Map<string, { d0: FontkitPosition; d1: FontkitPosition }>();
  readonly #gsub: { lookup: Lookup; type: number; subs: Subtable[] }[];
  readonly #gposOther: { subs: Subtable[] }[];
  /** Pair lookups per script, as fontkit selects them (script table, default language, applied features). */
  readonly #pairLookups = new Map<string, Subtable[][]>();

  constructor(font: FontkitFont) {
    this.#font = font;
    const t = font.directory.tables;
    if (t.morx || t.fvar || t.GSUB === undefined) throw new Error('AAT, variable or GSUB-less font');
    // A composed word is shaped under 'latn' or fontkit's unknown script, so only the features fontkit
    // selects for those two scripts can apply to it (the other scripts' lookups are never decoded).
    const composedScripts = (table: LayoutTable): number[] => [
      ...new Set([...scriptFeatures(table, 'latn'), ...scriptFeatures(table, UNKNOWN_SCRIPT)]),
    ];
    this.#gsub = font.GSUB ? appliedLookups(font.GSUB, 7, composedScripts(font.GSUB)) : [];
    const gpos = font.GPOS ? appliedLookups(font.GPOS, 9, composedScripts(font.GPOS)) : [];
    this.#gposOther = gpos.filter((l) => l.type !== 2);
    const pairs = gpos.filter((l) => l.type === 2);
    for (const p of pairs) {
      const flags = p.lookup.flags.flags ?? {};
      // Skipping base glyphs or ligatures would pair glyphs that are not adjacent.
      if (flags.ignoreBaseGlyphs || flags.ignoreLigatures) throw new Error('pair lookup skipping base glyphs');
    }
    for (const script of ['latn', UNKNOWN_SCRIPT]) {
      const own = font.GPOS ? appliedLookups(font.GPOS, 9, scriptFeatures(font.GPOS, script)).filter((l) => l.type === 2) : [];
      for (const l of own)
        for (const sub of l.subs)
          if (sub.pairSets === undefined && sub.classRecords === undefined) throw new Error('pair subtable not read');
      this.#pairLookups.set(
        script,
        own.map((l) => l.subs),
      );
    }
    // fontkit kerns with a legacy kern table when the selected GPOS script has no kern feature: such pairs
    // are not gated by the PairPos coverage read here.
    if (t.kern !== undefined && !(font.GPOS && gposKerns(font.GPOS, 'latn') && gposKerns(font.GPOS, UNKNOWN_SCRIPT))) {
      throw new Error('kerning from the legacy kern table');
    }
    // Read every gate now: a table that does not read as expected disables composition for the font.
    for (const l of [...this.#gsub, ...this.#gposOther]) for (const s of l.subs) covers(gate(s), 0);
  }

  /** Per qualifying glyph: the next glyphs that would start a ligature with it (the pair goes to fontkit). */
  readonly #ligatureNext = new Map<number, Set<number>>();

  #qualify(glyph: number): boolean {
    let q = this.#qualifies.get(glyph);
    if (q === undefined) {
      q = classOf(this.#font.GDEF?.glyphClassDef, glyph) !== 3 && !this.#gposOther.some((l) => l.subs.some((s) => covers(gate(s), glyph)));
      const next = new Set<number>();
      for (const l of this.#gsub) {
        if (!q) break;
        for (const s of l.subs) {
          const effect = this.#substitutes(l.lookup, l.type, s, glyph);
          if (effect === true) q = false;
          else if (effect !== false) for (const g of effect) next.add(g);
        }
      }
      if (q && next.size > 0) this.#ligatureNext.set(glyph, next);
      this.#qualifies.set(glyph, q);
    }
    return q;
  }

  /**
   * What a GSUB subtable can do to a composed word at `glyph`: nothing (false), anything (true), or — a
   * ligature subtable — form a ligature only when the next glyph is one of a set (those pairs then go to
   * fontkit). A covered glyph is ruled out unless the subtable provably cannot match within a composed
   * word: a ligature whose next component no composed character has (DejaVu's space starts ligatures with
   * Arabic marks only), or a chaining context whose every rule needs a glyph class or coverage no composed
   * character is in (DejaVu's "i" before a combining mark).
   */
  #substitutes(lookup: Lookup, type: number, sub: Subtable, glyph: number): boolean | Set<number> {
    const index = coverageIndex(gate(sub), glyph);
    if (index === -1) return false;
    const flags = lookup.flags.flags ?? {};
    if (flags.ignoreBaseGlyphs || flags.ignoreLigatures) return true;
    const composable = this.#composableGlyphs();
    if (type === 4 && sub.ligatureSets !== undefined) {
      const next = new Set<number>();
      for (const lig of toArray(at(sub.ligatureSets, index) ?? [])) {
        const first = toArray(lig.components)[0];
        if (first === undefined) return true; // a one-glyph "ligature": a substitution of the glyph itself
        if (composable.has(first)) next.add(first);
      }
      return next.size === 0 ? false : next;
    }
    if (type === 6 && sub.version === 2 && sub.chainClassSet !== undefined) {
      const rules = at(sub.chainClassSet, classOf(sub.inputClassDef, glyph));
      const present = (def: ClassDef | undefined, classes: ArrayLike<number>): boolean => {
        const have = this.#classesOf(def);
        return toArray(classes).every((c) => have.has(c));
      };
      return toArray(rules ?? []).some(
        (r) =>
          present(sub.backtrackClassDef, r.backtrack) && present(sub.inputClassDef, r.input) && present(sub.lookaheadClassDef, r.lookahead),
      );
    }
    if (type === 6 && sub.version === 3 && sub.inputCoverage !== undefined) {
      const meets = (c: Coverage): boolean => [...composable].some((g) => covers(c, g));
      return [...toArray(sub.backtrackCoverage), ...toArray(sub.inputCoverage).slice(1), ...toArray(sub.lookaheadCoverage)].every(meets);
    }
    return true;
  }

  readonly #classSets = new Map<ClassDef, Set<number>>();

  /** The classes a class definition gives the composable glyphs. */
  #classesOf(def: ClassDef | undefined): Set<number> {
    if (def === undefined) return new Set([0]);
    let set = this.#classSets.get(def);
    if (set === undefined) {
      set = new Set([...this.#composableGlyphs()].map((g) => classOf(def, g)));
      this.#classSets.set(def, set);
    }
    return set;
  }

  #composable: Set<number> | null = null;

  /** Glyphs of every character composition may use (a superset of the glyphs a composed word holds). */
  #composableGlyphs(): Set<number> {
    if (this.#composable === null) {
      const set = new Set<number>();
      const add = (code: number): void => {
        if (charScript(code) !== null) set.add(this.#font.glyphForCodePoint(code).id);
      };
      for (let c = 0x20; c <= 0xff; c++) add(c);
      for (const ch of COMMON_SYMBOLS) add(ch.charCodeAt(0));
      this.#composable = set;
    }
    return this.#composable;
  }

  #single(ch: string, script: string): Part | null {
    const key = `${script}\u0000${ch}`;
    let part = this.#singles.get(key);
    if (part === undefined) {
      const glyph = this.#font.glyphForCodePoint(ch.charCodeAt(0));
      part = null;
      // A qualifying glyph alone: no substitution, no positioning, no pair — its advance.
      if (this.#qualify(glyph.id)) part = { glyph, pos: { xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 } };
      this.#singles.set(key, part);
    }
    return part;
  }

  /**
   * Kerning of the pair a b (font units) on each glyph: per pair lookup of the script, the first subtable
   * that applies to a before b adds value1 to a and value2 to b (fontkit's GPOS lookup type 2).
   */
  #pair(a: string, pa: Part, b: string, pb: Part, script: string): { d0: FontkitPosition; d1: FontkitPosition } {
    const key = `${script}\u0000${a}${b}`;
    let pair = this.#pairs.get(key);
    if (pair === undefined) {
      const d0 = { ...ZERO };
      const d1 = { ...ZERO };
      const first = pa.glyph.id;
      const second = pb.glyph.id;
      for (const subs of this.#pairLookups.get(script) ?? []) {
        for (const sub of subs) {
          const index = coverageIndex(gate(sub), first);
          if (index === -1) continue;
          if (sub.pairSets !== undefined) {
            const hit = toArray(at(sub.pairSets, index) ?? []).find((p) => p.secondGlyph === second);
            if (!hit) continue;
            addValue(d0, hit.value1);
            addValue(d1, hit.value2);
            break;
          }
          const row = at(sub.classRecords!, classOf(sub.classDef1, first));
          const rec = row === undefined ? undefined : at(row, classOf(sub.classDef2, second));
          addValue(d0, rec?.value1);
          addValue(d1, rec?.value2);
          break;
        }
      }
      pair = { d0, d1 };
      this.#pairs.set(key, pair);
    }
    return pair;
  }

  /** The run fontkit would give `text`, scaled by `scale` as pdfkit does; null when it cannot be composed. */
  compose(text: string, scale: number): ComposedRun | null {
    const n = text.length;
    if (n === 0) return null;
    let latin = false;
    for (let i = 0; i < n; i++) {
      const s = charScript(text.charCodeAt(i));
      if (s === null) return null;
      if (s === 'latn') latin = true;
    }
    const script = latin ? 'latn' : UNKNOWN_SCRIPT;
    const parts: Part[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.#single(text[i]!, script);
      if (p === null) return null;
      parts.push(p);
    }
    for (let i = 0; i + 1 < n; i++) if (this.#ligatureNext.get(parts[i]!.glyph.id)?.has(parts[i + 1]!.glyph.id)) return null;
    const units = parts.map((p) => ({ ...p.pos }));
    for (let i = 0; i + 1 < n; i++) {
      const d = this.#pair(text[i]!, parts[i]!, text[i + 1]!, parts[i + 1]!, script);
      add(units[i]!, d.d0);
      add(units[i + 1]!, d.d1);
    }
    // pdfkit's layoutRun: every position field times the scale, advanceWidth the glyph's times the scale;
    // the run's advanceWidth is fontkit's sum of the (scaled) xAdvance values, in order.
    const glyphs = parts.map((p) => p.glyph);
    let advanceWidth = 0;
    const positions = units.map((u, i) => {
      const p = {
        xAdvance: u.xAdvance * scale,
        yAdvance: u.yAdvance * scale,
        xOffset: u.xOffset * scale,
        yOffset: u.yOffset * scale,
        advanceWidth: glyphs[i]!.advanceWidth * scale,
      };
      advanceWidth += p.xAdvance;
      return p;
    });
    return { glyphs, positions, advanceWidth };
  }
}

const ZERO: FontkitPosition = Object.freeze({ xAdvance: 0, yAdvance: 0, xOffset: 0, yOffset: 0 });

function add(a: FontkitPosition, d: FontkitPosition): void {
  a.xAdvance += d.xAdvance;
  a.yAdvance += d.yAdvance;
  a.xOffset += d.xOffset;
  a.yOffset += d.yOffset;
}

/** One shaper per parsed font (null: the font's tables rule composition out), for the process. */
const shapers = new WeakMap<object, FontShaper | null>();

/** The composing shaper of `font`, or null when its tables do not allow composition (fontkit then shapes). */
export function composingShaper(font: FontkitFont): { compose(text: string, scale: number): ComposedRun | null } | null {
  let s = shapers.get(font);
  if (s === undefined) {
    try {
      s = new FontShaper(font);
    } catch {
      s = null; // fail safe: everything through fontkit
    }
    shapers.set(font, s);
  }
  return s;
}

/** What pdfkit's EmbeddedFont offers that is replaced here (internals, typed loosely on purpose). */
interface PdfkitEmbeddedFont {
  font: FontkitFont;
  scale: number;
  layoutRun(text: string, features?: unknown): unknown;
}

/**
 * Make a pdfkit font shape composable words by composition (see the module comment) and everything else,
 * and any request with explicit features, through fontkit as before. Returns whether it was installed.
 */
export function installComposedShaping(embedded: PdfkitEmbeddedFont): boolean {
  if (typeof embedded.layoutRun !== 'function' || typeof embedded.scale !== 'number') return false;
  const shaper = composingShaper(embedded.font);
  if (shaper === null) return false;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the font as `this`
  const fontkitRun = embedded.layoutRun;
  embedded.layoutRun = function composedLayoutRun(this: PdfkitEmbeddedFont, text: string, features?: unknown): unknown {
    if (features === undefined) {
      const run = shaper.compose(text, this.scale);
      if (run !== null) return run;
    }
    return fontkitRun.call(this, text, features);
  };
  return true;
}
