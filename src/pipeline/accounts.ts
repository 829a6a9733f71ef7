/**
 * @module Accounts and signing, shared by the console and the CLI: argon2id password hashes, the first
 * administrator, API tokens, and checking a signer's password at the moment of signing. Secrets never
 * reach the store: it keeps the argon2id hash of a password and the SHA-256 of a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { roleAtLeast, type AccountRole } from '../domain/e-signature.js';
import { LotqaError } from '../errors/lotqa-error.js';
import type { AccountRecord, Store } from '../store/store.js';

export class AccountError extends LotqaError {
  override name = 'AccountError';
}

/** Account names: letters, digits, dot, dash, underscore; what a signature names forever. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
/** NIST SP 800-63B §5.1.1.2: at least 8 characters for a memorised secret chosen by the user. */
export const MIN_PASSWORD_LENGTH = 8;

/** argon2id with the library's defaults (m = 64 MiB, t = 3 passes, p = 4 lanes), RFC 9106's second recommended option class. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** A random secret for a one-time password or an API token (URL-safe, 24 bytes of entropy). */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createAccount(
  store: Store,
  input: { username: string; fullName: string; role: AccountRole; password: string; by: string },
): Promise<AccountRecord> {
  if (!USERNAME.test(input.username))
    throw new AccountError(`account name "${input.username}" is not allowed`, {
      hint: '2–40 characters: lower-case letters, digits, dot, dash, underscore; starting with a letter or digit',
    });
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new AccountError(`the password of "${input.username}" is too short (${input.password.length} characters)`, {
      hint: `use at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  if (!input.fullName.trim()) throw new AccountError(`account "${input.username}" needs a full name (printed with its signatures)`);
  const account = await store.accounts.createAccount({
    username: input.username,
    fullName: input.fullName.trim(),
    role: input.role,
    passwordHash: await hashPassword(input.password),
  });
  await store.appendAudit({
    lot: null,
    kind: 'account-changed',
    actor: input.by,
    payload: { account: account.username, role: account.role, change: 'created' },
  });
  return account;
}

/**
 * On first start (no account yet) creates `admin` with LOTQA_ADMIN_PASSWORD, or a random one-time
 * password returned so the caller can print it once. Null when accounts exist already.
 */
export async function ensureFirstAdmin(
  store: Store,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ username: string; password: string | null } | null> {
  if ((await store.accounts.countAccounts()) > 0) return null;
  const given = env.LOTQA_ADMIN_PASSWORD;
  const password = given && given.length > 0 ? given : randomSecret(12);
  await createAccount(store, { username: 'admin', fullName: 'Administrator', role: 'admin', password, by: 'lotqa' });
  return { username: 'admin', password: given ? null : password };
}

/** The account when `password` is its password and it is active; null otherwise (no hint which). */
export async function authenticate(store: Store, username: string, password: string): Promise<AccountRecord | null> {
  const account = await store.accounts.getAccount(username);
  if (!account || !account.active) {
    // Spend the same time as a real check so a name's existence is not told by the clock.
    await argon2.verify(await dummyHash(), password);
    return null;
  }
  return (await argon2.verify(account.passwordHash, password)) ? account : null;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomSecret()));
}

/** The signer, proven by the password re-entered now, with a role that may sign decisions. */
export async function verifySigner(store: Store, username: string, password: string): Promise<AccountRecord> {
  const account = await authenticate(store, username, password);
  if (!account) throw new AccountError(`signature refused: wrong password for "${username}" (or no such active account)`);
  if (!roleAtLeast(account.role, 'approver'))
    throw new AccountError(`signature refused: "${username}" is a ${account.role}; signing a decision needs the approver or admin role`, {
      hint: 'ask an administrator to give the account the approver role',
    });
  return account;
}

/** A new API token for the account; the token is returned once and only its SHA-256 stored. */
export async function issueApiToken(store: Store, username: string, label: string): Promise<string> {
  const token = `lqt_${randomSecret(32)}`;
  await store.accounts.createApiToken(username, label, tokenSha256(token));
  return token;
}
