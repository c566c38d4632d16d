import 'reflect-metadata';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';
import { printPlatformSchema, SCHEMA_FILE } from './schema';

/** `npm run schema` writes apps/platform/schema.graphql; `npm run schema:check` fails when it is stale. */
const main = async (): Promise<number> => {
  const check = process.argv.includes('--check');
  const sdl = await printPlatformSchema();
  const file = relative(process.cwd(), SCHEMA_FILE);
  if (check) {
    const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (current !== sdl) {
      process.stderr.write(`${file} is out of date with the resolvers: run \`npm run schema\` and commit it.\n`);
      return 1;
    }
    process.stdout.write(`${file} is up to date.\n`);
    return 0;
  }
  writeFileSync(SCHEMA_FILE, sdl);
  process.stdout.write(`Wrote ${file}.\n`);
  return 0;
};

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
