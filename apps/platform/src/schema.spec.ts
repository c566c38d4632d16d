import { existsSync, readFileSync } from 'node:fs';
import { printPlatformSchema, SCHEMA_FILE } from './schema';

describe('apps/platform/schema.graphql', () => {
  it('matches the schema the resolvers generate (run `npm run schema` after changing them)', async () => {
    const generated = await printPlatformSchema();
    const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '(missing)';
    expect(committed).toBe(generated);
  });
});
