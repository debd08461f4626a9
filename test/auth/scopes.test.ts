import { describe, expect, it } from 'vitest';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { hasScope, parseScopes, ScopeError, scopeCovers } from '../../src/auth/scopes.js';
import definitions from './fixtures/keys-repository.js';

const repo = resolveRepository(definitions);
const key = (...scopes: string[]) => ({ name: 'k', scopes });

describe('scope matching', () => {
  it('an exact scope covers only itself', () => {
    expect(scopeCovers('read:driver_stats', 'read:driver_stats')).toBe(true);
    expect(scopeCovers('read:driver_stats', 'read:driver_stats_v2')).toBe(false);
    expect(scopeCovers('read:driver_stats', 'push:driver_stats')).toBe(false);
  });

  it('read:* covers every read scope and nothing else', () => {
    expect(hasScope(key('read:*'), 'read:driver_stats')).toBe(true);
    expect(hasScope(key('read:*'), 'read:pricing')).toBe(true);
    expect(hasScope(key('read:*'), 'push:driver_stats')).toBe(false);
    expect(hasScope(key('read:*'), 'admin')).toBe(false);
    expect(hasScope(key('push:*'), 'push:location_risk')).toBe(true);
    expect(hasScope(key('push:*'), 'read:location_risk')).toBe(false);
  });

  it('a wildcard inside a name matches any run of name characters there', () => {
    expect(hasScope(key('read:driver_*'), 'read:driver_stats')).toBe(true);
    expect(hasScope(key('read:driver_*'), 'read:driver_')).toBe(true);
    expect(hasScope(key('read:driver_*'), 'read:credit_score')).toBe(false);
    expect(hasScope(key('read:*_score'), 'read:credit_score')).toBe(true);
    expect(hasScope(key('read:*_score'), 'read:credit_scores')).toBe(false);
    // A wildcard stays inside the name: it never crosses into the verb.
    expect(scopeCovers('read:*', 'read:a:b')).toBe(false);
  });

  it('admin and adhoc are held only when granted; no principal holds nothing', () => {
    expect(hasScope(key('admin'), 'admin')).toBe(true);
    expect(hasScope(key('read:*', 'push:*'), 'admin')).toBe(false);
    expect(hasScope(key('admin'), 'adhoc')).toBe(false);
    expect(hasScope(undefined, 'read:driver_stats')).toBe(false);
  });
});

describe('parsing scopes against the definitions', () => {
  const problems = (text: string): string[] => {
    try {
      parseScopes(text, repo);
    } catch (err) {
      if (err instanceof ScopeError) return [...err.problems];
      throw err;
    }
    return [];
  };

  it('accepts views, on-demand views, services and wildcards, comma or space separated, without duplicates', () => {
    expect(
      parseScopes('read:driver_stats, read:risk_doubled read:pricing,push:location_risk,admin,adhoc,read:*,read:driver_stats', repo),
    ).toEqual(['read:driver_stats', 'read:risk_doubled', 'read:pricing', 'push:location_risk', 'admin', 'adhoc', 'read:*']);
  });

  it('names an unknown verb and lists the syntax', () => {
    expect(problems('write:driver_stats')).toEqual([
      expect.stringMatching(/unknown scope "write:driver_stats": scopes are read:<view or service>, push:<view>, admin, adhoc/),
    ]);
    expect(problems('*')).toEqual([expect.stringMatching(/unknown scope "\*"/)]);
    expect(problems('READ:driver_stats')).toHaveLength(1);
    expect(problems('')).toEqual([expect.stringMatching(/no scopes given/)]);
  });

  it('names an unknown view or service and lists the valid ones, every problem at once', () => {
    expect(problems('read:drver_stats,push:pricing,read:nope_*')).toEqual([
      '"read:drver_stats": "drver_stats" is not a feature view, on-demand view or feature service; valid read names: credit_score, driver_stats, location_risk, pricing, risk_doubled',
      '"push:pricing": "pricing" is not a pushable (online) feature view; valid push names: credit_score, driver_stats, location_risk',
      '"read:nope_*": "nope_*" matches no feature view, on-demand view or feature service; valid read names: credit_score, driver_stats, location_risk, pricing, risk_doubled',
    ]);
  });
});
