/**
 * @module A password for the command line: from an environment variable (scripts, CI), else asked on
 * the terminal without echo. Never from a flag, where it would sit in the shell history and `ps`.
 */
import { LotqaError } from '../errors/lotqa-error.js';

export async function readSecret(envName: string, prompt: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  const input = process.stdin;
  if (!input.isTTY)
    throw new LotqaError(`no password: set ${envName} or run the command on a terminal to be asked`, { hint: `${envName}=… lotqa …` });
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let secret = '';
    const done = (err?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(secret);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new LotqaError('cancelled'));
        if (ch === '\u007f') secret = secret.slice(0, -1);
        else secret += ch;
      }
    };
    input.on('data', onData);
  });
}
