/**
 * @module Conversions between domain values and stored column values that both backends agree on:
 * instants (ISO-8601 strings in the API; `timestamptz` on PostgreSQL, normalised ISO text on SQLite
 * so that text order is time order), JSON payloads, booleans, censoring codes.
 */
import { CENSOR_ABOVE, CENSOR_BELOW, CENSOR_NONE, type CensorCode } from '../domain/lot-data.js';
import type { Censoring } from '../domain/measurement.js';
import { StoreInputError } from './store-errors.js';

const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * Normalises an ISO-8601 instant to `YYYY-MM-DDTHH:mm:ss.sssZ` (millisecond precision, UTC). A
 * date-time without a zone is read as UTC, as the ingest contract says test times are UTC.
 * @param what names the value in the error message ("test time of run 3 in /data/x.csv").
 */
export function toStoredInstant(value: string, what: string): string {
  const text = value.trim();
  const withZone = DATE_TIME.test(text) && !HAS_ZONE.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone);
  if (!Number.isFinite(ms)) {
    throw new StoreInputError(`${what}: "${value}" is not an ISO-8601 instant (expected e.g. 2024-05-01T08:30:00Z).`);
  }
  return new Date(ms).toISOString();
}

/** The current instant, normalised like {@link toStoredInstant}. */
export function nowInstant(): string {
  return new Date().toISOString();
}

/** Reads a stored instant back as an ISO-8601 string (pg gives Date objects, SQLite the text). */
export function instantFromDb(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** JSON text for a payload column; `undefined` is stored as `null`. */
export function jsonToDb(payload: unknown): string {
  return JSON.stringify(payload ?? null);
}

export function censorCode(censoring: Censoring): CensorCode {
  switch (censoring) {
    case 'none':
      return CENSOR_NONE;
    case 'below':
      return CENSOR_BELOW;
    case 'above':
      return CENSOR_ABOVE;
  }
}

/** The SHA-256 form every hash column holds: 64 lowercase hex digits. */
export function normaliseSha256(value: string, what: string): string {
  const lower = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(lower)) throw new StoreInputError(`${what}: "${value}" is not a SHA-256 (64 hex digits).`);
  return lower;
}

/** A stored censoring code as the domain names it. */
export function censoringOf(code: number): Censoring {
  return code === CENSOR_BELOW ? 'below' : code === CENSOR_ABOVE ? 'above' : 'none';
}
