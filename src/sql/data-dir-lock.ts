import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process at a time opens an embedded (PGlite) data dir (docs/writes.md, "The embedded data dir"):
 * PGlite is a single-process database, and a second process writing the same files loses or corrupts
 * data. The owner writes `<data dir>/featuregraph.lock` with its pid, command and (once serving) port; a
 * lock whose process is gone is stale and taken over.
 */
export interface DataDirOwner {
  readonly pid: number;
  readonly command: string;
  readonly port?: number;
  readonly since: string;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
  ) {
    const serving = owner.port !== undefined ? `, serving on port ${owner.port}` : '';
    super(
      `the embedded data dir ${dataDir} is in use by process ${owner.pid} (\`${owner.command}\`${serving}, since ${owner.since}). ` +
        'PGlite allows one process per data dir, for reads too: stop that process first' +
        (owner.port !== undefined
          ? `, or use its API (http://localhost:${owner.port}/graphql, with asOf for point-in-time reads; POST /push/<view> for writes)`
          : '') +
        ', or use Postgres (DATABASE_URL), which many processes can share.',
    );
  }
}

const lockFile = (dataDir: string) => join(dataDir, 'featuregraph.lock');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (file: string): DataDirOwner | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DataDirOwner;
  } catch {
    return null; // being written, or garbage: treated as stale below only if it stays so
  }
};

const held = new Map<string, DataDirOwner>();
let exitHook = false;

/** Take the data dir for this process, or throw DataDirInUseError naming the process that has it. */
export const lockDataDir = (dataDir: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const me: DataDirOwner = {
    pid: process.pid,
    command: ['featuregraph', ...process.argv.slice(2).filter((a) => !a.startsWith('postgres'))].join(' ').slice(0, 200),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx'); // atomic: exactly one process creates it
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.set(file, me);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', () => {
          for (const f of held.keys()) rmSync(f, { force: true });
        });
      }
      return () => {
        if (held.delete(file)) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(file);
      if (owner && owner.pid !== process.pid && alive(owner.pid)) throw new DataDirInUseError(dataDir, owner);
      if (owner?.pid === process.pid && held.has(file)) throw new DataDirInUseError(dataDir, owner);
      // The owner is gone (killed, crashed): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the data dir ${dataDir}`);
};

/** Record the port this process serves on, so a second process can point at it. */
export const noteDataDirPort = (dataDir: string, port: number): void => {
  const file = lockFile(dataDir);
  const me = held.get(file);
  if (!me) return;
  const next = { ...me, port };
  held.set(file, next);
  writeFileSync(file, JSON.stringify(next));
};

/** Who holds the data dir, if a live process does. */
export const dataDirOwner = (dataDir: string): DataDirOwner | null => {
  const owner = readOwner(lockFile(dataDir));
  return owner && alive(owner.pid) ? owner : null;
};
