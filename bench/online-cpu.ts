/** CPU time of a process and its descendants (cluster workers), from /proc: robust to a busy machine. */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

const descendants = (pid: number): number[] => {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
};

const ownCpuMs = (pid: number): number => {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
};

/** Milliseconds of CPU used so far by `pid` and every live descendant; NaN where /proc is missing. */
export const treeCpuMs = (pid: number): number => [pid, ...descendants(pid)].reduce((n, p) => n + ownCpuMs(p), 0);
