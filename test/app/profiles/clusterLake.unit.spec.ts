/** The cluster profile's lake: --lake and --hdfs-web-url validated, the local stack's HDFS by default. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveClusterLake } from '../../../src/app/profiles/clusterLake.js';
import { loadConfig } from '../../../src/app/config.js';
import { InvalidInputError } from '../../../src/domain/errors.js';

const stackHdfs = { url: 'hdfs://127.0.0.1:19000', webUrl: 'http://127.0.0.1:19001', user: 'tickvault', clientConf: { 'dfs.replication': '1' } };

describe('cluster lake', () => {
  const dirs: string[] = [];
  const stackDir = (endpoints?: unknown): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-stack-'));
    dirs.push(dir);
    if (endpoints !== undefined) writeFileSync(path.join(dir, 'endpoints.json'), JSON.stringify(endpoints));
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('takes --lake and --hdfs-web-url from flags and env, refusing anything but an hdfs:// root and an http(s) URL', () => {
    expect(loadConfig({ env: {}, flags: {} }).lake).toBe('');
    expect(loadConfig({ env: { TICKVAULT_LAKE: 'hdfs://nn:8020/crypto' }, flags: {} }).lake).toBe('hdfs://nn:8020/crypto');
    expect(loadConfig({ env: { TICKVAULT_HDFS_WEB_URL: 'http://nn:9870' }, flags: {} }).hdfsWebUrl).toBe('http://nn:9870');
    for (const lake of ['file:///var/lake', 'hdfs://nn:8020', 'hdfs://nn:8020/', '/crypto', 'hdfs://nn:8020/a b']) {
      expect(() => loadConfig({ env: {}, flags: { lake } }), lake).toThrow(/lake.*hdfs:\/\/host:port\/absolute\/path/);
    }
    expect(() => loadConfig({ env: {}, flags: { hdfsWebUrl: 'hdfs://nn:9870' } })).toThrow(/hdfsWebUrl/);
  });

  it('by default: /crypto on the local stack\'s HDFS, with its client settings', () => {
    const lake = resolveClusterLake({ lake: '', hdfsWebUrl: '', stackDir: stackDir({ hdfs: stackHdfs }) });
    expect(lake.location).toEqual({ uri: 'hdfs://127.0.0.1:19000/crypto', hadoopConf: { 'dfs.replication': '1' } });
  });

  it('a lake of its own on the stack\'s NameNode keeps the stack\'s web address; another NameNode needs --hdfs-web-url', () => {
    const dir = stackDir({ hdfs: stackHdfs });
    expect(resolveClusterLake({ lake: 'hdfs://127.0.0.1:19000/tests/x/crypto', hdfsWebUrl: '', stackDir: dir }).location.uri).toBe('hdfs://127.0.0.1:19000/tests/x/crypto');
    expect(() => resolveClusterLake({ lake: 'hdfs://namenode:8020/crypto', hdfsWebUrl: '', stackDir: dir })).toThrow(
      /--lake hdfs:\/\/namenode:8020\/crypto is on the NameNode hdfs:\/\/namenode:8020, the local stack's HDFS is hdfs:\/\/127\.0\.0\.1:19000: give that NameNode's web address with --hdfs-web-url/,
    );
    // Both given: no stack needed at all, and no stack settings carried to another cluster.
    const own = resolveClusterLake({ lake: 'hdfs://namenode:8020/crypto', hdfsWebUrl: 'http://namenode:9870', stackDir: stackDir() });
    expect(own.location).toEqual({ uri: 'hdfs://namenode:8020/crypto', hadoopConf: {} });
  });

  it('without a setting or a stack HDFS entry, says how to get one', () => {
    expect(() => resolveClusterLake({ lake: '', hdfsWebUrl: '', stackDir: stackDir() })).toThrow(/endpoints\.json does not exist; start HDFS \(npm run stack -- up hdfs\), or set --lake and --hdfs-web-url/);
    expect(() => resolveClusterLake({ lake: '', hdfsWebUrl: '', stackDir: stackDir({ spark: { url: 'local[2]' } }) })).toThrow(/no "hdfs" entry/);
    expect(() => resolveClusterLake({ lake: '', hdfsWebUrl: '', stackDir: stackDir({ hdfs: { url: stackHdfs.url } }) })).toThrow(/lacks webUrl, user or clientConf/);
    expect(() => resolveClusterLake({ lake: 'hdfs://nn', hdfsWebUrl: '', stackDir: stackDir({ hdfs: stackHdfs }) })).toThrow(InvalidInputError);
  });
});
