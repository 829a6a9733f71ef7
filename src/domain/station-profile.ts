/**
 * @module StationProfile — how one test station writes its CSV. Source of truth for
 * `schemas/station-profile.schema.json`.
 */
import { Type, type Static } from '@sinclair/typebox';

const Aliases = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  description: 'Header names accepted for this column, first is preferred; matched case- and space-insensitively',
});

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
  },
  { additionalProperties: false },
);
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
    /** `key=value` or `key: value` lines before the header row. */
    preamble: Type.Boolean(),
    /**
     * Text encoding of the file when it is not UTF-8 (e.g. a Windows tool writing 'windows-1252').
     * UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised without this field.
     */
    encoding: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('windows-1252'), Type.Literal('iso-8859-1')])),
    /** Format of test-time values when they are not ISO 8601, in Luxon tokens (e.g. "dd.MM.yyyy HH:mm:ss"). */
    timestampFormat: Type.Optional(Type.String({ minLength: 1 })),
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
    /** Station corner labels (e.g. "T25", "25C") → product corner ids (e.g. "room"). */
    cornerAliases: Type.Record(Type.String(), Type.String()),
    /** Lane numbering in the file: 0- or 1-based. Stored lanes are 0-based. */
    laneBase: Type.Union([Type.Literal(0), Type.Literal(1)]),
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
