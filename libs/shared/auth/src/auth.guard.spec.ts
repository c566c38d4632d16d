import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import * as jwt from 'jsonwebtoken';
import { AuthModule } from './auth.module';
import { CurrentUser, Public, RequirePermission, RequireRoles } from './decorators';
import { mintDevelopmentToken } from './mint-token';
import { ORG_DIRECTORY } from './org-directory';
import type { Principal } from './principal';
import { Permission, Role } from './roles';
import { StaticOrgDirectory, TEST_JWT_SECRET } from './testing';

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentUser() p: Principal) {
    return { userId: p.userId, orgUnitPath: p.orgUnitPath, roles: p.roles, scopes: p.scopes.length };
  }

  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @RequireRoles(Role.Admin)
  @Get('admin-only')
  adminOnly() {
    return { ok: true };
  }

  @RequirePermission(Permission.PersonalDataUnmask)
  @Get('unmask')
  unmask() {
    return { ok: true };
  }
}

const directory = new StaticOrgDirectory({ 'county-a': '/p/c/ca/', 'county-b': '/p/c/cb/' }).grant('staff-7', {
  path: '/p/c/cb/',
  includeDescendants: true,
  roles: [Role.Admin],
});

@Module({ providers: [{ provide: ORG_DIRECTORY, useValue: directory }] })
class FakeOrgModule {}

const token = (claims: { sub: string; roles: string[]; orgUnit: string }) =>
  `Bearer ${mintDevelopmentToken(claims, TEST_JWT_SECRET, 60)}`;

describe('AuthGuard (global, over HTTP)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    @Module({
      imports: [AuthModule.forRoot({ algorithm: 'HS256', secret: TEST_JWT_SECRET }), FakeOrgModule],
      controllers: [ProbeController],
    })
    class ProbeApp {}
    app = await NestFactory.create(ProbeApp, { logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('answers 401 without a token, with an expired one, and with a wrong signature', async () => {
    await http().get('/me').expect(401);
    const expired = jwt.sign({ sub: 'u', roles: ['admin'], orgUnit: 'county-a', exp: 1 }, TEST_JWT_SECRET);
    await http().get('/me').set('authorization', `Bearer ${expired}`).expect(401);
    const wrong = mintDevelopmentToken({ sub: 'u', roles: ['admin'], orgUnit: 'county-a' }, 'x'.repeat(40), 60);
    await http().get('/me').set('authorization', `Bearer ${wrong}`).expect(401);
  });

  it('lets public routes through without a token', async () => {
    await http().get('/health').expect(200, { ok: true });
  });

  it('resolves the principal with its org unit path from the directory', async () => {
    const res = await http().get('/me').set('authorization', token({ sub: 'u-1', roles: ['analyst'], orgUnit: 'county-a' })).expect(200);
    expect(res.body).toEqual({ userId: 'u-1', orgUnitPath: '/p/c/ca/', roles: ['analyst'], scopes: 1 });
  });

  it('refuses a token naming an org unit the directory does not know', async () => {
    await http().get('/me').set('authorization', token({ sub: 'u-1', roles: ['admin'], orgUnit: 'nowhere' })).expect(401);
  });

  it('accepts the root org unit for operators', async () => {
    const res = await http().get('/me').set('authorization', token({ sub: 'op', roles: ['admin'], orgUnit: 'root' })).expect(200);
    expect(res.body.orgUnitPath).toBe('/');
  });

  it('answers 403 when a required role or permission is missing', async () => {
    await http().get('/admin-only').set('authorization', token({ sub: 'u', roles: ['analyst'], orgUnit: 'county-a' })).expect(403);
    await http().get('/admin-only').set('authorization', token({ sub: 'u', roles: ['admin'], orgUnit: 'county-a' })).expect(200);
    await http().get('/unmask').set('authorization', token({ sub: 'u', roles: ['analyst'], orgUnit: 'county-a' })).expect(403);
    await http().get('/unmask').set('authorization', token({ sub: 'u', roles: ['grid-worker'], orgUnit: 'county-a' })).expect(200);
  });

  it('adds the scopes a user holds through staff role assignments', async () => {
    const res = await http().get('/me').set('authorization', token({ sub: 'staff-7', roles: ['analyst'], orgUnit: 'county-a' })).expect(200);
    expect(res.body).toMatchObject({ roles: ['analyst', 'admin'], scopes: 2 });
    await http().get('/admin-only').set('authorization', token({ sub: 'staff-7', roles: ['analyst'], orgUnit: 'county-a' })).expect(200);
  });
});
