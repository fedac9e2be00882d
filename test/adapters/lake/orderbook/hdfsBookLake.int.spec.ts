/**
 * The BookLake contract on the cluster profile's adapter: the stack's HDFS through WebHDFS, each
 * case in a folder of its own that it removes. Skipped (or failed under CI=true) without HDFS.
 */
import { describe } from 'vitest';
import { hdfsLake, type HdfsEndpoint } from '../../../../src/adapters/lake/lakeLocation.js';
import { hdfsBookLake } from '../../../../src/adapters/lake/orderbook/hdfsBookLake.js';
import { webHdfs } from '../../../../src/adapters/lake/webHdfs.js';
import { bookLakeContract } from '../../../contracts/bookLake.contract.js';
import { uniqueName } from '../../../contracts/polling.js';
import { requireStack } from '../../../support/stack.js';

const hdfs = requireStack('hdfs');

describe.skipIf(hdfs.skip)('the order-book lake on HDFS', () => {
  bookLakeContract('HDFS', async () => {
    const endpoint = hdfs.endpoint() as unknown as HdfsEndpoint;
    const folder = `/tests/${uniqueName('book-lake')}`;
    const files = webHdfs(endpoint);
    return { lake: hdfsBookLake(hdfsLake(endpoint, `${folder}/crypto`), files), cleanup: () => files.remove(folder) };
  }, 5);
});
