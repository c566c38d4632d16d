/** Where commands print; tests pass buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars only on a terminal. */
  isTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

/** Thrown by a command to end with this exit code after printing its message. */
export class CliExit extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

export const table = (rows: Array<Record<string, unknown>>): string => {
  if (rows.length === 0) return '(none)\n';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => displayWidth(cell(r[c]))));
  const widths = cols.map(width);
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  const line = (vals: string[]) => vals.map((v, i) => pad(v, widths[i])).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n') + '\n';
};

/** CJK characters take two columns in a terminal. */
const displayWidth = (s: string): number => {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
};
