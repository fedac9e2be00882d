/** Answers of the analytics routes: the correlation matrix and its network (read-models/analytics/; docs/analytics.md). */
import { arrayOf, boolean, integer, mapOf, nullable, number, object, symbol } from './common.js';

const provenance = {
  selection: { anyOf: [{ type: 'string', const: 'given' }, object({ topByQuoteVolume: integer, among: integer })] },
  batch: mapOf(nullable(integer)),
  degraded: boolean,
  source: { type: 'string', enum: ['published', 'on-demand'], description: 'published: the view as its BatchViewPublished event published it (hash and all); on-demand: computed for this request' },
  publication: {
    ...object({ position: integer, engine: { type: 'string' }, version: integer }),
    description: 'with a published view: its BatchViewPublished event (ledger position, the engine that computed it, the view version)',
  },
};
const content = {
  asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  definitions: { type: 'object', description: 'the definitions the figures used (docs/analytics.md)' },
  symbols: arrayOf(symbol),
  contentHash: { type: 'string', description: 'SHA-256 of the canonical JSON of the content, as the BatchViewPublished event carries it' },
};

/** Every field but `publication`, which only a published view has. */
const answer = (properties: Record<string, unknown>) => object(properties, Object.keys(properties).filter((k) => k !== 'publication'));

export const correlationAnswer = answer({
  ...content,
  matrix: arrayOf(arrayOf(nullable(number))),
  shared: arrayOf(arrayOf(integer)),
  ...provenance,
});

const symbolGroups = arrayOf(arrayOf(symbol));
export const networkAnswer = answer({
  ...content,
  nodes: arrayOf({ type: 'object', description: 'a symbol with its degree, weighted degree, PageRank and communities' }),
  edges: arrayOf({ type: 'object', description: 'two symbols whose |rho| reaches the threshold' }),
  spanningTree: arrayOf({ type: 'object', description: 'an edge of the minimum spanning tree of distances sqrt(2(1 - rho))' }),
  communities: object({ louvain: symbolGroups, labelPropagation: symbolGroups, louvainModularity: nullable(number) }),
  components: symbolGroups,
  shortestPaths: mapOf(mapOf(nullable({ type: 'object' }))),
  ...provenance,
});

