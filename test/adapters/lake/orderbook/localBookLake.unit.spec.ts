/** The BookLake contract on the embedded profile's adapter: a folder on the local disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localBookLake } from '../../../../src/adapters/lake/orderbook/localBookLake.js';
import { bookLakeContract } from '../../../contracts/bookLake.contract.js';

bookLakeContract('local folder', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-lake-'));
  return { lake: localBookLake(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}, 25);
