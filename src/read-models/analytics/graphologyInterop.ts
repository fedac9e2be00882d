/**
 * graphology's metric and community packages are CommonJS whose type declarations say `export
 * default`: under NodeNext the default import is `module.exports` (the function itself at run time)
 * while the types put it under `.default`. This file is the one place that reconciles the two.
 */
import louvainModule from 'graphology-communities-louvain';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';

export const louvain = louvainModule as unknown as (typeof louvainModule)['default'];
export const pagerank = pagerankModule as unknown as (typeof pagerankModule)['default'];
