import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point inward: the domain and the kit own their ports and never reach for an
 * adapter, a runtime or the CLI. Checked on the import statements themselves.
 */
const root = resolve(import.meta.dirname, '..');
const inner = ['src/shortener', 'src/kit', 'src/config-service'];
const outer = ['src/adapters', 'src/runtime', 'src/cli', 'infra'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('architecture', () => {
  it.each(inner)('%s imports no adapter, runtime or CLI module', (dir) => {
    const offenders: string[] = [];
    for (const file of sourceFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"](\.[^'"]+)['"]/g)) {
        const target = relative(root, resolve(file, '..', match[1] as string));
        if (outer.some((o) => target.startsWith(o)))
          offenders.push(`${relative(root, file)} -> ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
