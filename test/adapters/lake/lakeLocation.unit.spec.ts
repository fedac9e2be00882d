import { describe, expect, it } from 'vitest';
import { hdfsLake, hdfsLakeFolder, localLake, parseHdfsLakeUri, sparkConfFor } from '../../../src/adapters/lake/lakeLocation.js';
import { InvalidInputError } from '../../../src/domain/errors.js';

const hdfs = { url: 'hdfs://127.0.0.1:19000', clientConf: { 'dfs.replication': '1' } };

describe('lake location', () => {
  it('puts the embedded lake in a local folder as a file:// URI, with no Hadoop settings', () => {
    expect(localLake('/var/data/lake')).toEqual({ uri: 'file:///var/data/lake', hadoopConf: {} });
  });

  it('puts the cluster lake under /crypto on the NameNode, carrying its client settings to Spark', () => {
    const lake = hdfsLake(hdfs);
    expect(lake.uri).toBe('hdfs://127.0.0.1:19000/crypto');
    expect(sparkConfFor(lake)).toEqual({ 'spark.hadoop.dfs.replication': '1' });
    expect(hdfsLake(hdfs, '/tests/run-1/crypto').uri).toBe('hdfs://127.0.0.1:19000/tests/run-1/crypto');
  });

  it('refuses a NameNode URL or root it cannot use, naming it', () => {
    for (const url of ['http://127.0.0.1:19001', 'hdfs://127.0.0.1:19000/', '']) {
      expect(() => hdfsLake({ ...hdfs, url })).toThrow(/expected hdfs:\/\/host:port/);
    }
    for (const root of ['crypto', '/', '/a b', '/crypto/']) {
      expect(() => hdfsLake(hdfs, root)).toThrow(/expected an absolute HDFS path/);
    }
    expect(() => hdfsLake(hdfs, 'relative')).toThrow(InvalidInputError);
  });

  it('splits an hdfs:// root into NameNode and path, and names a folder under it both ways', () => {
    expect(parseHdfsLakeUri('hdfs://127.0.0.1:19000/tests/run-1/crypto')).toEqual({ nameNode: 'hdfs://127.0.0.1:19000', root: '/tests/run-1/crypto' });
    for (const uri of ['file:///var/lake', 'hdfs://127.0.0.1:19000', 'hdfs://127.0.0.1:19000/', 'hdfs:///crypto']) expect(parseHdfsLakeUri(uri), uri).toBeUndefined();
    expect(hdfsLakeFolder(hdfsLake(hdfs), 'tmp', 'recompute-42')).toEqual({ uri: 'hdfs://127.0.0.1:19000/crypto/tmp/recompute-42', path: '/crypto/tmp/recompute-42' });
    expect(() => hdfsLakeFolder(localLake('/var/lake'), 'tmp')).toThrow(/lake "file:\/\/\/var\/lake": expected hdfs:\/\/host:port\/absolute\/path/);
  });
});
