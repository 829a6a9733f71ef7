/**
 * @module `lotqa account add|list|token` — console accounts (the signers of decisions) and API tokens.
 */
import { Option, type Command } from 'commander';
import { ACCOUNT_ROLES, type AccountRole } from '../../domain/e-signature.js';
import { configOf, out, table, withStore } from '../cli-context.js';

export function registerAccountCommand(program: Command): void {
  const account = program.command('account').description('Console accounts (who may look, decide and sign) and API tokens');
  account
    .command('add')
    .description('Add an account (password from LOTQA_NEW_PASSWORD, else asked)')
    .argument('<name>', 'account name (lower case)')
    .requiredOption('--full-name <text>', 'printed name, shown with every signature')
    .addOption(new Option('--role <role>', 'role').choices([...ACCOUNT_ROLES]).makeOptionMandatory())
    .action(async (name: string, flags: { fullName: string; role: AccountRole }, cmd: Command) => {
      const { readSecret } = await import('../read-secret.js');
      const password = await readSecret('LOTQA_NEW_PASSWORD', `password for ${name}: `);
      const { createAccount } = await import('../../pipeline/accounts.js');
      const { userInfo } = await import('node:os');
      const a = await withStore(configOf(cmd), (store) =>
        createAccount(store, { username: name, fullName: flags.fullName, role: flags.role, password, by: userInfo().username }),
      );
      out(`account ${a.username} (${a.fullName}) added as ${a.role}`);
    });
  account
    .command('list')
    .description('List the accounts')
    .action(async (_flags: unknown, cmd: Command) => {
      const list = await withStore(configOf(cmd), (store) => store.accounts.listAccounts());
      out(
        table([
          ['account', 'name', 'role', 'active', 'created'],
          ...list.map((a) => [a.username, a.fullName, a.role, String(a.active), a.createdAt]),
        ]),
      );
    });
  account
    .command('token')
    .description('Issue an API token for an account (printed once; only its SHA-256 is stored)')
    .argument('<name>', 'account name')
    .requiredOption('--label <text>', 'what the token is for')
    .action(async (name: string, flags: { label: string }, cmd: Command) => {
      const { issueApiToken } = await import('../../pipeline/accounts.js');
      const token = await withStore(configOf(cmd), async (store) => {
        if (!(await store.accounts.getAccount(name)))
          throw new (await import('../../pipeline/accounts.js')).AccountError(`no account "${name}"`);
        return issueApiToken(store, name, flags.label);
      });
      out(token);
    });
}
