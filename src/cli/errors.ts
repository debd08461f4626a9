/**
 * The CLI's one error path: every failure prints one clear line (plus a hint when there is an obvious next
 * step), never a stack trace unless FEATUREGRAPH_DEBUG=1. Definition errors keep their list of problems.
 */

/** An error the CLI expects (bad flag, missing file, unknown name): printed as is, with an optional hint. */
export class CliError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.hint = hint;
  }
}

interface SystemError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
  address?: string;
  port?: number;
}

const hintFor = (err: SystemError): { message: string; hint?: string } | undefined => {
  switch (err.code) {
    case 'ENOENT':
      return err.path ? { message: `no such file or directory: ${err.path}` } : undefined;
    case 'EACCES':
    case 'EPERM':
      return err.path ? { message: `permission denied: ${err.path}` } : undefined;
    case 'EISDIR':
      return { message: `expected a file, got a directory${err.path ? `: ${err.path}` : ''}` };
    case 'EADDRINUSE':
      return { message: `port ${err.port ?? ''} is already in use`.trim(), hint: 'pass --port or set PORT to a free port' };
    case 'ECONNREFUSED':
      return {
        message: `connection refused by ${err.address ?? 'a store'}${err.port ? `:${err.port}` : ''}`,
        hint: 'is the server up? check DATABASE_URL / REDIS_URL, or unset them to use the embedded stores',
      };
    default:
      return undefined;
  }
};

/** The text to print for a failure: the message, a `hint:` line when known, the stack only when debugging. */
export const formatCliError = (err: unknown, env: NodeJS.ProcessEnv = process.env): string => {
  const debug = env.FEATUREGRAPH_DEBUG === '1';
  if (!(err instanceof Error)) return `featuregraph: ${String(err)}`;
  if (err.name === 'DefinitionError') return debug && err.stack ? err.stack : err.message;
  const known = hintFor(err as SystemError);
  const message = known?.message ?? (err.message || err.name);
  const hint = err instanceof CliError ? err.hint : known?.hint;
  const lines = [`featuregraph: ${message}`];
  if (hint) lines.push(`hint: ${hint}`);
  if (debug && err.stack) lines.push(err.stack);
  return lines.join('\n');
};
