/** SVG pictures for the analytics pages: a correlation heatmap and a force-laid-out network. */
const SVG = 'http://www.w3.org/2000/svg';
const el = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

export interface MatrixShape {
  readonly symbols: string[];
  /** null where ρ is undefined (too few shared returns). */
  readonly matrix: (number | null)[][];
}
export interface GraphShape {
  readonly nodes: { id: string; pagerank?: number; community?: number }[];
  readonly edges: { source: string; target: string; weight?: number }[];
}

/** Red for −1, neutral for 0, blue for +1. */
const colourOf = (r: number | null): string => {
  if (r === null) return '#2a3644';
  const t = Math.max(-1, Math.min(1, r));
  return t >= 0 ? `rgb(${Math.round(40 + 20 * (1 - t))},${Math.round(60 + 60 * t)},${Math.round(80 + 160 * t)})` : `rgb(${Math.round(80 - 160 * t)},${Math.round(60 + 10 * t)},${Math.round(70 + 10 * t)})`;
};

export const heatmap = (m: MatrixShape): SVGSVGElement => {
  const n = m.symbols.length;
  const cell = Math.max(8, Math.min(28, Math.floor(480 / Math.max(n, 1))));
  const margin = 80;
  const side = margin + n * cell;
  // Drawn at its own size (never stretched): a few symbols make a small map, not giant labels.
  const svg = el('svg', { viewBox: `0 0 ${side} ${side}`, width: side, height: side, class: 'heatmap', role: 'img', 'aria-label': `correlations of ${n} symbols` });
  m.symbols.forEach((s, i) => {
    const row = el('text', { x: margin - 4, y: margin + i * cell + cell * 0.7, 'text-anchor': 'end', class: 'axis' });
    row.textContent = s;
    const col = el('text', { x: margin + i * cell + cell * 0.7, y: margin - 4, transform: `rotate(-60 ${margin + i * cell + cell * 0.7} ${margin - 4})`, class: 'axis' });
    col.textContent = s;
    svg.append(row, col);
    m.matrix[i]?.forEach((r, j) => {
      const rect = el('rect', { x: margin + j * cell, y: margin + i * cell, width: cell - 1, height: cell - 1, fill: colourOf(r) });
      const title = el('title', {});
      title.textContent = `${s} / ${m.symbols[j]}: ${r === null ? 'undefined (too few shared returns)' : r.toFixed(3)}`;
      rect.append(title);
      svg.append(rect);
    });
  });
  return svg;
};

const PALETTE = ['#61afef', '#e5c07b', '#c678dd', '#4caf87', '#e06c75', '#56b6c2', '#d19a66', '#98c379'];

/** Fruchterman–Reingold, a fixed number of cooling steps from a circle: the same graph, the same picture. */
export const forceLayout = (g: GraphShape, size = 480): SVGSVGElement => {
  const n = g.nodes.length;
  const index = new Map(g.nodes.map((node, i) => [node.id, i]));
  const pos = g.nodes.map((_, i) => ({ x: size / 2 + (size / 3) * Math.cos((2 * Math.PI * i) / n), y: size / 2 + (size / 3) * Math.sin((2 * Math.PI * i) / n) }));
  const k = Math.sqrt((size * size) / Math.max(n, 1));
  const edges = g.edges.flatMap((e) => {
    const a = index.get(e.source);
    const b = index.get(e.target);
    return a === undefined || b === undefined ? [] : [{ a, b, w: Math.abs(e.weight ?? 1) }];
  });
  for (let step = 0, temp = size / 10; step < 200; step++, temp *= 0.97) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i]!.x - pos[j]!.x;
        const dy = pos[i]!.y - pos[j]!.y;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (k * k) / d;
        disp[i]!.x += (dx / d) * f;
        disp[i]!.y += (dy / d) * f;
        disp[j]!.x -= (dx / d) * f;
        disp[j]!.y -= (dy / d) * f;
      }
    for (const { a, b, w } of edges) {
      const dx = pos[a]!.x - pos[b]!.x;
      const dy = pos[a]!.y - pos[b]!.y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = ((d * d) / k) * w;
      disp[a]!.x -= (dx / d) * f;
      disp[a]!.y -= (dy / d) * f;
      disp[b]!.x += (dx / d) * f;
      disp[b]!.y += (dy / d) * f;
    }
    pos.forEach((p, i) => {
      const d = Math.max(Math.hypot(disp[i]!.x, disp[i]!.y), 0.01);
      // Room on the right for the node's label.
      p.x = Math.min(size - 80, Math.max(20, p.x + (disp[i]!.x / d) * Math.min(d, temp)));
      p.y = Math.min(size - 20, Math.max(20, p.y + (disp[i]!.y / d) * Math.min(d, temp)));
    });
  }
  const svg = el('svg', { viewBox: `0 0 ${size} ${size}`, class: 'network', role: 'img', 'aria-label': `network of ${n} symbols and ${edges.length} edges` });
  for (const { a, b, w } of edges) svg.append(el('line', { x1: pos[a]!.x, y1: pos[a]!.y, x2: pos[b]!.x, y2: pos[b]!.y, 'stroke-width': 0.5 + 2 * Math.min(w, 1), class: 'edge' }));
  const maxRank = Math.max(...g.nodes.map((node) => node.pagerank ?? 0), 1e-9);
  g.nodes.forEach((node, i) => {
    const r = 4 + 12 * ((node.pagerank ?? 0) / maxRank);
    const c = el('circle', { cx: pos[i]!.x, cy: pos[i]!.y, r, fill: PALETTE[(node.community ?? 0) % PALETTE.length]! });
    const title = el('title', {});
    title.textContent = `${node.id}: PageRank ${(node.pagerank ?? 0).toFixed(4)}, community ${node.community ?? '–'}`;
    c.append(title);
    const label = el('text', { x: pos[i]!.x + r + 2, y: pos[i]!.y + 4, class: 'axis' });
    label.textContent = node.id;
    svg.append(c, label);
  });
  return svg;
};
