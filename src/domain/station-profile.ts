/**
 * @module StationProfile — how one test station writes its CSV. Source of truth for
 * `schemas/station-profile.schema.json`.
 */
import { Type, type Static } from '@sinclair/typebox';

const aliases = (description = 'Header names accepted for this column, first is preferred; matched case- and space-insensitively') =>
  Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description });
const Aliases = aliases();

/** Where an identity field comes from. */
export const FieldSource = Type.Union(
  [
    Type.Object({ column: Aliases }, { additionalProperties: false }),
    Type.Object({ preamble: Aliases }, { additionalProperties: false }),
    Type.Object({ fileName: Type.String({ description: 'Named group of fileNamePattern' }) }, { additionalProperties: false }),
  ],
  { title: '{column: [...]}, {preamble: [...]} or {fileName: "group"}' },
);
export type FieldSource = Static<typeof FieldSource>;

export const WideColumn = Type.Object(
  {
    header: Aliases,
    parameter: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    unit: Type.String({ minLength: 1, description: 'Unit the station writes (converted to the canonical unit)' }),
    lowLimit: Type.Optional(
      aliases(
        "Header of the station's own lower-limit column for this parameter, in the same unit (kept as evidence, never used to judge)",
      ),
    ),
    highLimit: Type.Optional(
      aliases(
        "Header of the station's own upper-limit column for this parameter, in the same unit (kept as evidence, never used to judge)",
      ),
    ),
    result: Type.Optional(aliases("Header of the station's own PASS/FAIL column for this parameter (kept as evidence)")),
  },
  { additionalProperties: false },
);

/**
 * Recognises one line by its text, leading and trailing spaces ignored: the whole line (`"[Data]"`,
 * case-insensitive), its start (`"#"`, `"Total"`, case-insensitive) or a regular expression.
 */
const lineMatch = (options: { title?: string; description?: string } = {}) =>
  Type.Union(
    [
      Type.Object(
        { line: Type.String({ minLength: 1, description: 'The whole line, e.g. "[Data]" or "END_DATA" (case-insensitive)' }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { startsWith: Type.String({ minLength: 1, description: 'How the line starts, e.g. "#", "//" or "Total" (case-insensitive)' }) },
        { additionalProperties: false },
      ),
      Type.Object(
        { pattern: Type.String({ minLength: 1, description: 'A regular expression the line matches, e.g. "^-{3,}$"' }) },
        { additionalProperties: false },
      ),
    ],
    { title: '{line: "…"}, {startsWith: "…"} or {pattern: "…"}', ...options },
  );
export const LineMatch = lineMatch();
export type LineMatch = Static<typeof LineMatch>;

/** A value read from a fixed line of the block at the top of the file. */
export const FixedField = Type.Object(
  {
    key: Type.String({ minLength: 1, description: 'Name the value is found under, as in a preamble source: {"preamble": ["Serial"]}' }),
    line: Type.Integer({ minimum: 1, description: 'Line of the block (1 = the first line of the file)' }),
    field: Type.Optional(
      Type.Integer({ minimum: 1, description: "Position on the line after splitting it at the profile's delimiter (1 = first)" }),
    ),
    pattern: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Regular expression on the line (or the field); the value is its group "value", else its first group, else the match',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FixedField = Static<typeof FixedField>;

const MetadataSeparator = Type.Union([Type.Literal('='), Type.Literal(':'), Type.Literal(','), Type.Literal(';'), Type.Literal('\t')]);

/**
 * How the whole file is laid out around the table: metadata before it (key=value lines, INI-style
 * sections, a fixed block), comment lines, marker lines to skip or to start the table at, and what ends
 * the table (an end marker or a blank line, after which come footer lines) or sits in it without being
 * readings (totals rows). Every line of the file is accounted for: a reading, a quarantined row, the
 * header, metadata, or one of the lines kept out of the readings (`otherLines` of the parsed file).
 */
export const FileLayout = Type.Object(
  {
    comments: Type.Optional(
      Type.Array(LineMatch, { minItems: 1, description: 'Comment lines, anywhere in the file (e.g. {"startsWith": "#"})' }),
    ),
    skip: Type.Optional(
      Type.Array(LineMatch, {
        minItems: 1,
        description: 'Lines that carry nothing, anywhere in the file: separators ("---", "====") or markers (e.g. {"pattern": "^-{3,}$"})',
      }),
    ),
    metadata: Type.Optional(
      Type.Object(
        {
          separators: Type.Optional(
            Type.Array(MetadataSeparator, {
              minItems: 1,
              description:
                'Between key and value of a metadata line; default ["=", ":"]. With "," ";" or tab a metadata line has exactly two fields (Serial,SN0001)',
            }),
          ),
          sections: Type.Optional(
            Type.Boolean({
              description:
                'INI-style section lines ("[Header]") group the key=value lines; a key is found by its name ("Serial") and by "Section.Key" ("Header.Serial")',
            }),
          ),
        },
        { additionalProperties: false, description: 'How metadata lines are written (before the table, and in the footer)' },
      ),
    ),
    fixedBlock: Type.Optional(
      Type.Object(
        {
          lines: Type.Integer({ minimum: 1, maximum: 1000, description: 'The first N lines of the file form the block' }),
          fields: Type.Array(FixedField, { minItems: 1 }),
        },
        {
          additionalProperties: false,
          description: 'A fixed block of lines at the top of the file, values read by line and position or pattern',
        },
      ),
    ),
    tableStart: Type.Optional(
      lineMatch({
        description: 'The table header is the first line after this marker line ([Data], BEGIN_DATA); lines before it are metadata or text',
      }),
    ),
    tableEnd: Type.Optional(
      Type.Union(
        [
          LineMatch,
          Type.Object(
            { blankLine: Type.Literal(true, { description: 'The first blank line after the table ends it' }) },
            { additionalProperties: false },
          ),
        ],
        {
          title: '{line}, {startsWith}, {pattern} or {blankLine: true}',
          description:
            'What ends the table ([End], END_DATA, or a blank line); lines after it are the footer: metadata lines or text, never readings. A file that lacks a declared end marker was cut short: its last row is quarantined as truncated',
        },
      ),
    ),
    summaryRows: Type.Optional(
      Type.Array(LineMatch, {
        minItems: 1,
        description: 'Rows inside the table that are summaries, not readings (e.g. {"startsWith": "Total"}); kept out of the readings',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FileLayout = Static<typeof FileLayout>;
export type WideColumn = Static<typeof WideColumn>;

export const StationProfile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    kind: Type.Literal('lotqa/station-profile'),
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    description: Type.String(),
    format: Type.Union([Type.Literal('long'), Type.Literal('wide')]),
    delimiter: Type.Union([Type.Literal(','), Type.Literal(';'), Type.Literal('\t')]),
    decimal: Type.Union([Type.Literal('.'), Type.Literal(',')]),
    /** `key=value` or `key: value` lines before the header row (their form: `layout.metadata`). */
    preamble: Type.Boolean(),
    /** Everything around the table: metadata forms, comments, markers, footer, summary rows. Absent: preamble lines, then the table to the end. */
    layout: Type.Optional(FileLayout),
    /**
     * Text encoding of the file when it is not UTF-8 (e.g. a Windows tool writing 'windows-1252').
     * UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised without this field.
     */
    encoding: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('windows-1252'), Type.Literal('iso-8859-1')])),
    /**
     * Format of test-time values when they are not ISO 8601, in Luxon tokens (e.g. "dd.MM.yyyy HH:mm:ss",
     * "MM/dd/yyyy h:mm a"); "X" for Unix seconds, "x" for Unix milliseconds.
     */
    timestampFormat: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Format of test times that are not ISO 8601, in Luxon tokens (e.g. "dd.MM.yyyy HH:mm:ss", "MM/dd/yyyy h:mm a"); "X" = Unix seconds, "x" = Unix milliseconds',
      }),
    ),
    /** IANA time zone of test times written without an offset (e.g. "Europe/Berlin"); UTC when absent. */
    timeZone: Type.Optional(Type.String({ minLength: 1 })),
    /** Regex with named groups (serial, lot, station, attempt…) matched against the file's base name. */
    fileNamePattern: Type.Optional(Type.String()),
    identity: Type.Object(
      {
        serial: FieldSource,
        lot: FieldSource,
        station: FieldSource,
        testTime: FieldSource,
        attempt: Type.Optional(FieldSource),
        corner: FieldSource,
        lane: Type.Optional(FieldSource),
        operator: Type.Optional(FieldSource),
      },
      { additionalProperties: false },
    ),
    /**
     * The station's own PASS/FAIL for the whole unit (a metadata line before or after the table, a
     * column — per row; the unit fails when any row does — or a file-name group). Kept as evidence and
     * compared with lotqa's judgement; never used to judge.
     */
    unitResult: Type.Optional(FieldSource),
    /** Station corner labels (e.g. "T25", "25C") → product corner ids (e.g. "room"). */
    cornerAliases: Type.Record(Type.String(), Type.String()),
    /** Lane numbering in the file: 0- or 1-based. Stored lanes are 0-based. */
    laneBase: Type.Union([Type.Literal(0), Type.Literal(1)]),
    /**
     * Prefixes the station writes before the lane number ("Ch" for Ch1…Ch8, "L" for L0…L7, "Lane" for
     * "Lane 2"; case-insensitive, a space, _, -, # or . may follow). The number is read with laneBase.
     */
    lanePrefixes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, pattern: '^[A-Za-z]+$' }), {
        minItems: 1,
        description:
          'Prefixes written before the lane number, e.g. ["Ch"] for Ch1…Ch8 or ["L"] for L0…L7 (case-insensitive; a space, _, -, # or . may follow); the number is read with laneBase',
      }),
    ),
    long: Type.Optional(
      Type.Object(
        {
          parameter: Aliases,
          value: Aliases,
          unit: Type.Optional(Aliases),
          lowLimit: Type.Optional(Aliases),
          highLimit: Type.Optional(Aliases),
          result: Type.Optional(Aliases),
          /** Station test names → parameter ids. */
          parameterAliases: Type.Record(Type.String(), Type.String()),
          /** Unit written when the file has no unit column, per parameter id. */
          defaultUnits: Type.Optional(Type.Record(Type.String(), Type.String())),
        },
        { additionalProperties: false },
      ),
    ),
    wide: Type.Optional(Type.Object({ columns: Type.Array(WideColumn, { minItems: 1 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false, $id: 'https://lotqa.dev/schemas/station-profile.schema.json', title: 'lotqa station profile' },
);
export type StationProfile = Static<typeof StationProfile>;
