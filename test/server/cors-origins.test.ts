import { describe, expect, it } from 'vitest';
import { checkOrigins } from '../../src/server/cors.js';
import { originAllowed } from '../../src/server/hosts.js';

describe('CORS origins as configured (docs/production.md, "Browsers: CORS and CSRF")', () => {
  it('keeps origins as browsers send them: lower case, one trailing slash dropped, * kept', () => {
    expect(checkOrigins(['https://App.Example.com/', 'http://localhost:3000', '*', 'capacitor://localhost'], 'X')).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
      '*',
      'capacitor://localhost',
    ]);
  });

  it('refuses null, a path, a missing scheme, naming the setting and the value', () => {
    expect(() => checkOrigins(['null'], 'FEATUREGRAPH_CORS_ORIGINS')).toThrow(/FEATUREGRAPH_CORS_ORIGINS: "null" is not allowed/);
    expect(() => checkOrigins(['https://app.example.com/app'], 'FEATUREGRAPH_CORS_ORIGINS')).toThrow(
      /FEATUREGRAPH_CORS_ORIGINS: "https:\/\/app.example.com\/app" is not an origin/,
    );
    expect(() => checkOrigins(['app.example.com'], 'corsOrigins')).toThrow(/corsOrigins: "app.example.com" is not an origin/);
    expect(() => checkOrigins(['https://app.example.com?x=1'], 'corsOrigins')).toThrow(/is not an origin/);
  });

  it('a WebSocket from a listed origin is allowed whatever the case it was configured in', () => {
    const listed = checkOrigins(['https://App.Example.com/'], 'X');
    expect(originAllowed('https://app.example.com', 'api.example.com', listed)).toBe(true);
    expect(originAllowed('https://evil.example.com', 'api.example.com', listed)).toBe(false);
  });
});
