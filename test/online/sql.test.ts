import { projectSchema } from '../../src/definitions/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { dropSchemas, sqlBackends } from '../support/env.js';
import { describeOnlineStoreSemantics } from './semantics.js';

for (const backend of sqlBackends) {
  describeOnlineStoreSemantics(`sql (${backend.name})`, async (project) => {
    const sql = await backend.open();
    return {
      store: createSqlOnlineStore(sql, project),
      teardown: async () => {
        await dropSchemas(sql, projectSchema(project));
        await sql.close();
      },
    };
  });
}
