/** Properties of the correlation folds, the spanning tree and label propagation that hold for every table. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correlationMatrix, returnTable } from '../../../src/domain/analytics/correlation.js';
import { CORRELATION_METHODS } from '../../../src/domain/analytics/definitions.js';
import { labelPropagation } from '../../../src/domain/analytics/labelPropagation.js';
import { averageRanks } from '../../../src/domain/analytics/ranks.js';
import { minimumSpanningTree } from '../../../src/domain/analytics/spanningTree.js';
import { tableArb } from '../../support/correlationInputs.js';

describe('correlation matrix', () => {
  it('is symmetric, in [−1, 1], 1 on the diagonal of every series with spread, and counts shared returns', () => {
    fc.assert(
      fc.property(tableArb(), fc.constantFrom(...CORRELATION_METHODS), (table, method) => {
        const m = correlationMatrix(table, method);
        const n = table.symbols.length;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const v = m.values[i * n + j]!;
            expect(Object.is(v, m.values[j * n + i]!)).toBe(true);
            if (!Number.isNaN(v)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
            const both = table.columns[i]!.filter((x, k) => !Number.isNaN(x) && !Number.isNaN(table.columns[j]![k]!)).length;
            expect(m.shared[i * n + j]).toBe(both);
          }
          if (!Number.isNaN(m.values[i * n + i]!)) expect(m.values[i * n + i]).toBe(1);
        }
      }),
    );
  });

  it('Pearson is unchanged by scaling and shifting a series; Spearman by any increasing map', () => {
    fc.assert(
      fc.property(tableArb(6, 60), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (table, scale, shift) => {
        const moved = returnTable(table.symbols.map((symbol, i) => ({
          symbol,
          returns: table.times.flatMap((time, k) => {
            const v = table.columns[i]![k]!;
            return Number.isNaN(v) ? [] : [{ time, value: i === 0 ? v * scale + shift : v }];
          }),
        })));
        const cubed = returnTable(table.symbols.map((symbol, i) => ({
          symbol,
          returns: table.times.flatMap((time, k) => {
            const v = table.columns[i]![k]!;
            return Number.isNaN(v) ? [] : [{ time, value: i === 0 ? v ** 3 : v }];
          }),
        })));
        const near = (a: Float64Array, b: Float64Array) => a.every((x, k) => (Number.isNaN(x) ? Number.isNaN(b[k]!) : Math.abs(x - b[k]!) <= 1e-9));
        expect(near(correlationMatrix(table, 'pearson').values, correlationMatrix(moved, 'pearson').values)).toBe(true);
        expect(near(correlationMatrix(table, 'spearman').values, correlationMatrix(cubed, 'spearman').values)).toBe(true);
      }),
    );
  });

  it('average ranks sum to n(n + 1)/2 and tie equal values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 50 }), (v) => {
        const r = averageRanks(v);
        expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo((v.length * (v.length + 1)) / 2, 9);
        v.forEach((x, i) => v.forEach((y, j) => {
          if (x === y) expect(r[i]).toBe(r[j]);
          if (x < y) expect(r[i]!).toBeLessThan(r[j]!);
        }));
      }),
    );
  });
});

describe('spanning tree', () => {
  it('is a forest joining exactly the symbols the defined pairs connect, each edge the lightest across its cut', () => {
    fc.assert(
      fc.property(tableArb(), (table) => {
        const m = correlationMatrix(table, 'pearson');
        const n = m.symbols.length;
        const tree = minimumSpanningTree(m);
        const index = new Map(m.symbols.map((s, i) => [s, i]));
        // Components of the defined pairs, by a flood fill.
        const component = new Int32Array(n).fill(-1);
        let components = 0;
        for (let s = 0; s < n; s++) {
          if (component[s] !== -1) continue;
          const stack = [s];
          component[s] = components;
          while (stack.length > 0) {
            const i = stack.pop()!;
            for (let j = 0; j < n; j++) if (component[j] === -1 && i !== j && !Number.isNaN(m.values[i * n + j]!)) {
              component[j] = components;
              stack.push(j);
            }
          }
          components++;
        }
        expect(tree.length).toBe(n - components);
        // Cut property: removing a tree edge splits its tree in two; no defined pair across the cut is shorter.
        for (const cut of tree) {
          const side = new Set([index.get(cut.source)!]);
          let grew = true;
          while (grew) {
            grew = false;
            for (const e of tree) {
              if (e === cut) continue;
              const a = index.get(e.source)!;
              const b = index.get(e.target)!;
              if (side.has(a) !== side.has(b)) {
                side.add(a).add(b);
                grew = true;
              }
            }
          }
          for (const i of side) {
            for (let j = 0; j < n; j++) {
              const rho = m.values[i * n + j]!;
              if (!side.has(j) && component[j] === component[i] && !Number.isNaN(rho)) expect(Math.sqrt(2 * (1 - rho))).toBeGreaterThanOrEqual(cut.distance - 1e-15);
            }
          }
        }
      }),
    );
  });
});

describe('label propagation', () => {
  const graphArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0.5, max: 1, noNaN: true })), { selector: ([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`, maxLength: 60 })
        .map((es) => es.filter(([a, b]) => a !== b).map(([a, b, weight]) => ({ a, b, weight }))),
    }));

  it('settles where every node with neighbours carries a label of the greatest weight among them', () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges }) => {
        const label = labelPropagation(n, edges);
        for (let i = 0; i < n; i++) {
          const totals = new Map<number, number>();
          for (const e of edges) {
            if (e.a === i) totals.set(label[e.b]!, (totals.get(label[e.b]!) ?? 0) + e.weight);
            if (e.b === i) totals.set(label[e.a]!, (totals.get(label[e.a]!) ?? 0) + e.weight);
          }
          if (totals.size === 0) expect(label[i]).toBe(i);
          else expect(totals.get(label[i]!)).toBe(Math.max(...totals.values()));
        }
      }),
    );
  });
});
