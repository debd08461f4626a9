/** Progress lines on stderr: rewritten in place on a terminal, at most one line a second otherwise. */
export const progressPrinter = (stream: NodeJS.WriteStream = process.stderr) => {
  let last = 0;
  return {
    update(line: string, force = false) {
      const now = Date.now();
      if (!force && now - last < (stream.isTTY ? 100 : 1000)) return;
      last = now;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
    },
    done(line: string) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}\n`);
      else stream.write(`${line}\n`);
      last = 0;
    },
  };
};

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const rate = (n: number, ms: number): string => `${fmtInt(ms > 0 ? (n * 1000) / ms : 0)}/s`;
