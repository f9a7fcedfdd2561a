// CSV/TSV cells: splitting a line (with double quotes) and reading a cell as a number.

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAN = /^[+-]?nan$/i;
const INF = /^([+-]?)(?:inf|infinity)$/i;

/** Split one CSV/TSV line into cells; double quotes group a cell ("" is a quote inside one). */
export function splitCells(line: string, d: string): string[] {
  if (!line.includes('"')) return line.split(d);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0) {
          cell += line.slice(i);
          i = line.length;
          break;
        }
        cell += line.slice(i, j);
        if (line[j + 1] === '"') {
          cell += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
    }
    const k = line.indexOf(d, i);
    cell += k < 0 ? line.slice(i) : line.slice(i, k);
    out.push(cell);
    if (k < 0) return out;
    i = k + 1;
  }
}

/** A number cell (decimal, or nan/inf spellings so that they are reported as such), else undefined. */
export function parseCell(cell: string): number | undefined {
  const t = cell.trim();
  if (NUMBER.test(t)) return Number(t);
  if (NAN.test(t)) return NaN;
  const m = INF.exec(t);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  return undefined;
}
