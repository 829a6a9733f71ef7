import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecFileError, loadProductSpec, loadStationProfile, validateDocument } from '../../src/domain/schema-registry.js';
import { findProduct, findProfile } from '../../src/domain/catalog.js';

const FILE = 'schemas/products/x.json';
/** A mutable deep copy of a shipped spec, to break one thing at a time. */
const specCopy = (id = 'qsfp112-400g-dr4'): Node => structuredClone(findProduct(id));
const profileCopy = (id: string): Node => structuredClone(findProfile(id));
/** A document as plain JSON objects, so that a test may write into it what the schema forbids. */
type Node = Record<string, unknown>;
/** The object at a path of keys and indices inside a copied document. */
const at = (doc: Node, ...path: (string | number)[]): Node => path.reduce<Node>((node, key) => node[key] as Node, doc);
const paramIndex = (spec: Node, id: string): number => (spec.parameters as Node[]).findIndex((p) => p.id === id);

function problemsOf(kind: 'product-spec' | 'station-profile', data: unknown, file = FILE): SpecFileError {
  try {
    validateDocument(kind, data, file);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecFileError);
    return err as SpecFileError;
  }
  throw new Error('the document validated, but should not');
}

describe('a malformed product spec names the file, the field and the fix', () => {
  it('missing partNumber', () => {
    const spec = specCopy();
    delete spec.partNumber;
    expect(problemsOf('product-spec', spec).message).toBe(`${FILE}: /partNumber is required but missing`);
  });

  it('lsl written as a string', () => {
    const spec = specCopy();
    const i = paramIndex(spec, 'tx_er');
    at(spec, 'parameters', i).lsl = '3.5';
    expect(problemsOf('product-spec', spec).message).toBe(`${FILE}: /parameters/${i}/lsl must be number or {expr}`);
  });

  it('an expression object with a non-string expr points inside the object', () => {
    const spec = specCopy();
    at(spec, 'parameters', 0).usl = { expr: 4 };
    expect(problemsOf('product-spec', spec).message).toBe(`${FILE}: /parameters/0/usl/expr must be string`);
  });

  it('unknown unit and unknown field, reported together (allErrors)', () => {
    const spec = specCopy();
    at(spec, 'parameters', 1).unit = 'mW';
    at(spec, 'parameters', 2).lsll = 1;
    const err = problemsOf('product-spec', spec);
    expect(err.problems.map((p) => p.pointer)).toEqual(['/parameters/1/unit', '/parameters/2/lsll']);
    expect(err.message).toContain("/parameters/1/unit must be one of 'dBm', 'dB', 'dB/Hz', 'nm'");
    expect(err.message).toContain(
      '/parameters/2/lsll is not a known field (known here: chart, corners, critical, decimals, derived, id, informativeLsl, lsl, name',
    );
  });

  it('wrong kind literal', () => {
    const spec = specCopy();
    spec.kind = 'lotqa/product';
    expect(problemsOf('product-spec', spec).message).toBe(`${FILE}: /kind must be 'lotqa/product-spec'`);
  });

  it('unknown corner in an override', () => {
    const spec = specCopy('osfp-800g-2xfr4');
    const i = paramIndex(spec, 'tx_wavelength');
    at(spec, 'parameters', i, 'overrides', 1).corners = ['warm'];
    expect(problemsOf('product-spec', spec).message).toBe(
      `${FILE}: /parameters/${i}/overrides/1/corners/0 corner 'warm' is not one of the product's corners (cold, room, hot)`,
    );
  });

  it('override on a corner where the parameter is not measured', () => {
    const spec = specCopy();
    const i = paramIndex(spec, 'module_power');
    at(spec, 'parameters', i).overrides = [{ corners: ['cold'], usl: 11 }];
    expect(problemsOf('product-spec', spec).message).toContain(
      `/parameters/${i}/overrides/0/corners/0 module_power is not measured at corner 'cold' (only at room, hot)`,
    );
  });

  it('override lane beyond the lane count', () => {
    const spec = specCopy('osfp-800g-2xfr4');
    const i = paramIndex(spec, 'tx_wavelength');
    at(spec, 'parameters', i, 'overrides', 3).lanes = [3, 8];
    expect(problemsOf('product-spec', spec).message).toBe(
      `${FILE}: /parameters/${i}/overrides/3/lanes/1 lane 8 does not exist: the product has 8 lanes (0…7)`,
    );
  });

  it('expression syntax error with its column', () => {
    const spec = specCopy('osfp-800g-2xfr4');
    const i = paramIndex(spec, 'rx_sensitivity_oma');
    at(spec, 'parameters', i).usl = { expr: 'max(-4.6, rx_secq - )' };
    expect(problemsOf('product-spec', spec).message).toBe(
      `${FILE}: /parameters/${i}/usl/expr limit expression 'max(-4.6, rx_secq - )' column 21: expected a value, found ')'`,
    );
  });

  it('unknown parameter id in an expression, with its column', () => {
    const spec = specCopy();
    const i = paramIndex(spec, 'tx_oma_outer');
    at(spec, 'parameters', i).lsl = { expr: 'max(-0.8, tx_tdeqc - 2.2)' };
    const err = problemsOf('product-spec', spec);
    expect(err.problems).toHaveLength(1);
    expect(err.message).toMatch(
      new RegExp(
        `^${FILE}: /parameters/${i}/lsl/expr limit expression 'max\\(-0\\.8, tx_tdeqc - 2\\.2\\)' column 11: unknown parameter 'tx_tdeqc' \\(the product's parameters: tx_avg_power, tx_oma_outer, tx_tdecq,`,
      ),
    );
  });

  it('a per-module limit cannot read a per-lane parameter; a limit cannot read its own parameter', () => {
    const spec = specCopy();
    const power = paramIndex(spec, 'module_power');
    const er = paramIndex(spec, 'tx_er');
    at(spec, 'parameters', power).usl = { expr: '12 - tx_er' };
    at(spec, 'parameters', er).lsl = { expr: 'tx_er - 1' };
    const err = problemsOf('product-spec', spec);
    expect(err.message).toContain(
      `/parameters/${power}/usl/expr limit expression '12 - tx_er' column 6: module_power is per module but tx_er is per lane`,
    );
    expect(err.message).toContain(
      `/parameters/${er}/lsl/expr limit expression 'tx_er - 1' column 1: a limit of tx_er cannot depend on tx_er itself`,
    );
  });

  it('an expression reading a parameter not measured at every corner where the limit applies', () => {
    const spec = specCopy();
    const i = paramIndex(spec, 'tx_er');
    at(spec, 'parameters', i).lsl = { expr: 'if(tx_smsr > 40, 3.5, 4)' }; // tx_smsr is measured at room and hot only
    expect(problemsOf('product-spec', spec).message).toContain(
      `column 4: tx_smsr is not measured at corner cold, where this limit is needed`,
    );
  });

  it('a cycle among derived parameters', () => {
    const spec = specCopy();
    const oma = paramIndex(spec, 'tx_oma_outer');
    at(spec, 'parameters', oma).derived = 'tx_oma_minus_tdecq + tx_tdecq';
    at(spec, 'parameters', oma).lsl = -0.8; // keep the limit from reading the now-derived OMA's inputs only
    const err = problemsOf('product-spec', spec);
    expect(err.message).toBe(
      `${FILE}: /parameters/${oma}/derived derived parameters form a cycle tx_oma_outer → tx_oma_minus_tdecq → tx_oma_outer; one of them must be measured, not derived`,
    );
  });

  it('duplicate parameter id, lsl above usl, target outside limits, limit outside the physical range', () => {
    const spec = specCopy();
    at(spec, 'parameters', 3).id = at(spec, 'parameters', 1).id;
    const wl = paramIndex(spec, 'tx_wavelength');
    at(spec, 'parameters', wl).lsl = 1320;
    const smsr = paramIndex(spec, 'tx_smsr');
    at(spec, 'parameters', smsr).lsl = 90;
    const err = problemsOf('product-spec', spec);
    const lines = err.message.split('\n');
    expect(lines).toContain(`${FILE}: /parameters/3/id repeats parameter id 'tx_oma_outer' (first at /parameters/1)`);
    expect(lines).toContain(`${FILE}: /parameters/${wl} lsl 1320 must be below usl 1317.5`);
    expect(lines).toContain(`${FILE}: /parameters/${wl}/target target 1311 lies outside the limits 1320 … 1317.5`);
    expect(lines).toContain(
      `${FILE}: /parameters/${smsr}/lsl lsl 90 lies outside the physical range 0 … 80; no reading could ever reach it`,
    );
  });
});

describe('reading spec files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-spec-'));

  it('a JSON syntax error gives line and column', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "kind": "lotqa/product-spec",\n  "version": "1"\n  "productId": "x"\n}\n');
    expect(() => loadProductSpec(path)).toThrow(`${path}: line 4 column 3: invalid JSON: Expected ',' or '}' after property value`);
  });

  it('a truncated file and an empty file', () => {
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, '{\n  "kind": "lotqa/product-spec",\n');
    // The file ends after line 2; the parser stops at the start of line 3.
    expect(() => loadProductSpec(truncated)).toThrow(`${truncated}: line 3 column 1: invalid JSON: Expected double-quoted property name`);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '\n');
    expect(() => loadProductSpec(empty)).toThrow(`${empty}: the file is empty; expected a JSON object`);
  });

  it('a missing file', () => {
    expect(() => loadProductSpec(join(dir, 'nope.json'))).toThrow(`${join(dir, 'nope.json')}: file not found`);
  });

  it("a user's valid spec file loads by path, frozen", () => {
    const path = join(dir, 'mine.json');
    const spec = specCopy();
    spec.productId = 'my-dr4';
    writeFileSync(path, `\uFEFF${JSON.stringify(spec)}`);
    const loaded = findProduct(path);
    expect(loaded.productId).toBe('my-dr4');
    expect(Object.isFrozen(loaded.parameters[0])).toBe(true);
  });
});

describe('a malformed station profile', () => {
  const FILE_P = 'schemas/profiles/x.json';
  it('identity field given as a string instead of a list of header names', () => {
    const p = profileCopy('long-generic');
    at(p, 'identity').serial = { column: 'Serial' };
    expect(problemsOf('station-profile', p, FILE_P).message).toBe(`${FILE_P}: /identity/serial/column must be array`);
  });

  it('identity source of the wrong shape', () => {
    const p = profileCopy('long-generic');
    at(p, 'identity').serial = { header: ['Serial'] };
    expect(problemsOf('station-profile', p, FILE_P).message).toBe(
      `${FILE_P}: /identity/serial must be {column: [...]}, {preamble: [...]} or {fileName: "group"}`,
    );
  });

  it('file-name group that the pattern does not define, preamble source without preamble, unknown unit, header used twice', () => {
    const p = profileCopy('wide-v2');
    at(p, 'identity').lot = { fileName: 'lot_id' };
    at(p, 'identity').operator = { preamble: ['Operator'] };
    at(p, 'wide', 'columns', 0).unit = 'furlongs';
    at(p, 'wide', 'columns', 1).header = ['Lane'];
    const lines = problemsOf('station-profile', p, FILE_P).message.split('\n');
    expect(lines).toContain(`${FILE_P}: /identity/lot/fileName fileNamePattern has no named group 'lot_id' (it has: lot, serial)`);
    expect(lines).toContain(`${FILE_P}: /identity/operator/preamble reads a preamble line, but the profile has "preamble": false`);
    expect(lines).toContain(`${FILE_P}: /wide/columns/0/unit unit 'furlongs' is not one ingest can convert`);
    expect(lines).toContain(
      `${FILE_P}: /wide/columns/1/header/0 header 'Lane' is also used by /identity/lane/column; a column can mean only one thing`,
    );
  });

  it('an invalid fileNamePattern, and a decimal comma with a comma delimiter', () => {
    const p = profileCopy('wide-v2');
    p.fileNamePattern = '^(?<lot>[^_]+_';
    p.decimal = ',';
    const lines = problemsOf('station-profile', p, FILE_P).message.split('\n');
    expect(lines.some((l) => l.startsWith(`${FILE_P}: /fileNamePattern is not a valid regular expression`))).toBe(true);
    expect(lines).toContain(`${FILE_P}: /decimal a decimal comma needs a delimiter other than a comma (";" or tab)`);
  });

  it('escapes JSON-pointer segments of alias keys (RFC 6901) and catches aliases that collide when case is ignored', () => {
    const p = profileCopy('long-generic');
    at(p, 'long', 'parameterAliases')['Rx/Sens'] = 'RxSens';
    at(p, 'long', 'parameterAliases')['txpower'] = 'tx_oma_outer';
    const lines = problemsOf('station-profile', p, FILE_P).message.split('\n');
    expect(lines).toContain(
      `${FILE_P}: /long/parameterAliases/Rx~1Sens 'RxSens' is not a parameter id (lower case with underscores, e.g. "tx_avg_power")`,
    );
    expect(lines).toContain(
      `${FILE_P}: /long/parameterAliases/txpower test name 'txpower' matches the same name as another alias (matching ignores case and spaces) but maps to tx_oma_outer, not tx_avg_power`,
    );
  });

  it('loads a profile file by path with the same checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotqa-profile-'));
    const path = join(dir, 'p.json');
    const p = profileCopy('wide-eu-preamble');
    delete p.wide;
    writeFileSync(path, JSON.stringify(p));
    expect(() => loadStationProfile(path)).toThrow(`${path}: /wide is required for a wide-format profile (one column per parameter)`);
  });
});
