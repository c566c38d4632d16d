import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Public } from '@gongzhi/auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * GraphiQL served from the installed npm packages (graphiql 3 UMD, React 18 UMD), so it works
 * offline and no CDN sees our schema or tokens. Registered only outside production mode.
 */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.js': { file: () => join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: () => join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
  'boot.js': { file: () => join(__dirname, 'boot.js'), type: 'text/javascript' },
};

function packageDir(name: string): string {
  return join(require.resolve(`${name}/package.json`), '..');
}

const PAGE = `<!doctype html>
<html lang="zh-Hant">
<head>
  <meta charset="utf-8" />
  <title>Gongzhi GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/boot.js"></script>
</body>
</html>
`;

@Public()
@Controller('graphiql')
export class GraphiqlController {
  private readonly cache = new Map<string, Buffer>();

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  // Scripts only from this origin; the page needs inline styles (GraphiQL sets them at runtime).
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'")
  page(): string {
    return PAGE;
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: ServerResponse): void {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException();
    let body = this.cache.get(name);
    if (!body) {
      body = readFileSync(asset.file());
      this.cache.set(name, body);
    }
    res.setHeader('Content-Type', `${asset.type}; charset=utf-8`);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.end(body);
  }
}
