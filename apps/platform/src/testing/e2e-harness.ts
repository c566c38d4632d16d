import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { mintDevelopmentToken, type Role } from '@gongzhi/auth';
import { developmentSecretFile, loadConfig, ProjectionsHost, type PlatformConfig } from '@gongzhi/platform-core';
import { createPlatformApp } from '../app.factory';

export interface GraphqlResponse<T = any> {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, any> }> };
  headers: Record<string, string>;
}

/**
 * The platform on embedded stores in a fresh temporary DATA_DIR, exactly as `npm start` builds
 * it, driven over HTTP with supertest. Log lines are captured for assertions.
 */
export class E2eApp {
  readonly logs: string[] = [];
  app!: INestApplication;
  config!: PlatformConfig;
  private dir!: string;

  static async start(env: Record<string, string> = {}): Promise<E2eApp> {
    const e = new E2eApp();
    e.dir = mkdtempSync(join(tmpdir(), 'gongzhi-e2e-'));
    e.config = loadConfig({ DATA_DIR: e.dir, LOG_LEVEL: 'info', ...env });
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        e.logs.push(String(chunk));
        cb();
      },
    });
    e.app = await createPlatformApp(e.config, { logDestination: sink });
    return e;
  }

  get dataDir(): string {
    return this.dir;
  }

  get store(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  /** The secret the platform generated into DATA_DIR on first start. */
  secret(): string {
    return this.config.jwt.algorithm === 'HS256' && this.config.jwt.secret
      ? this.config.jwt.secret
      : readFileSync(developmentSecretFile(this.config), 'utf8').trim();
  }

  token(sub: string, roles: Role[], orgUnit: string): string {
    return `Bearer ${mintDevelopmentToken({ sub, roles, orgUnit }, this.secret(), '1h')}`;
  }

  async gql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponse<T>> {
    let req = this.http.post('/graphql').set('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const res = await req.send({ query, variables });
    return { status: res.status, body: res.body, headers: res.headers as Record<string, string> };
  }

  /** Waits until every projection has applied the whole log (read-your-writes for assertions). */
  settle(): Promise<void> {
    return this.app.get(ProjectionsHost).settle(15_000);
  }

  async close(): Promise<void> {
    await this.app?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const codesOf = (r: GraphqlResponse): string[] => (r.body.errors ?? []).map((e) => e.extensions?.code);
