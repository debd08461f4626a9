/**
 * Progress lines on stderr: rewritten in place on a terminal, at most one line a second otherwise (a log
 * file or CI), where a line the same as the one just written is not written again.
 */
export const progressPrinter = (stream: NodeJS.WriteStream = process.stderr) => {
  let last = 0;
  let lastLine: string | null = null;
  const writeLine = (line: string) => {
    if (line === lastLine) return;
    lastLine = line;
    stream.write(`${line}\n`);
  };
  return {
    update(line: string, force = false) {
      const now = Date.now();
      if (!force && now - last < (stream.isTTY ? 100 : 1000)) return;
      last = now;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else writeLine(line);
    },
    done(line: string) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}\n`);
      else writeLine(line);
      last = 0;
    },
  };
};

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const rate = (n: number, ms: number): string => `${fmtInt(ms > 0 ? (n * 1000) / ms : 0)}/s`;
