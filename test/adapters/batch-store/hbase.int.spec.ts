/** The HBase BatchStore against the BatchStore contract, on the stack's HBase REST gateway. */
import { describe } from 'vitest';
import { openHBaseBatchStore } from '../../../src/adapters/batch-store/hbase/hbaseBatchStore.js';
import { createHBaseRest } from '../../../src/adapters/batch-store/hbase/hbaseRest.js';
import { batchStoreContract } from '../../contracts/batchStore.contract.js';
import { requireStack } from '../../support/stack.js';

const hbase = requireStack('hbase');

describe.skipIf(hbase.skip)('hbase', () => {
  batchStoreContract('hbase', async () => {
    const url = hbase.endpoint().url;
    // Tables of their own per test: a fresh, empty store on a shared server.
    const tablePrefix = `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}_`;
    let store = await openHBaseBatchStore({ url, tablePrefix });
    return {
      store,
      async reopen() {
        await store.close();
        store = await openHBaseBatchStore({ url, tablePrefix });
        return store;
      },
      async cleanup() {
        await store.close();
        const rest = createHBaseRest({ url });
        for (const table of store.tables) await rest.dropTable(table);
      },
    };
  }, { propertyTimeoutMs: 240_000 });
});
