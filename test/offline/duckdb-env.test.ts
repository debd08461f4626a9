import { afterEach, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { createPgliteClient } from '../../src/sql/index.js';

describe('FEATUREGRAPH_DUCKDB_MEMORY_LIMIT', () => {
  const before = process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT;
  afterEach(() => {
    if (before === undefined) delete process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT;
    else process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT = before;
  });

  it('refuses a value that is not a size, naming the variable', async () => {
    const sql = await createPgliteClient();
    try {
      process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT = "80MB'; SELECT 1; --";
      expect(() => openOfflineStore(sql)).toThrow(/FEATUREGRAPH_DUCKDB_MEMORY_LIMIT must be a size such as 80MB or 1GB/);
      process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT = 'lots';
      expect(() => openOfflineStore(sql)).toThrow(/got "lots"/);
      process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT = '100KB';
      expect(() => openOfflineStore(sql)).toThrow(/is 100KB: DuckDB needs at least 16MB/);
      process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT = '1.5GB';
      const store = openOfflineStore(sql);
      await store.close();
    } finally {
      await sql.close();
    }
  });
});
